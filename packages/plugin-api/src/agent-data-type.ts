/**
 * How an agent contributes to a type.
 *
 * - `AUTHORITATIVE`: the agent's result is the complete set of this type *for that agent*; ids it
 *   wrote before and did not write now are evicted.
 * - `INFORMATIVE`: the agent contributes items and relationships but never implies deletion.
 */
export type Authority = 'AUTHORITATIVE' | 'INFORMATIVE';

export interface AgentDataType {
  readonly typeName: string;
  readonly authority: Authority;
}

export const authoritative = (typeName: string): AgentDataType => ({ typeName, authority: 'AUTHORITATIVE' });
export const informative = (typeName: string): AgentDataType => ({ typeName, authority: 'INFORMATIVE' });
