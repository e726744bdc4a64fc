/**
 * How an agent contributes to a type.
 *
 * - `AUTHORITATIVE`: the agent's result is the complete set of this type *for that agent*; ids it
 *   wrote before and did not write now are evicted.
 * - `INFORMATIVE`: the agent contributes items and relationships but never implies deletion.
 */
export type Authority = 'AUTHORITATIVE' | 'INFORMATIVE';

/** A type an agent writes, with its authority over that type. */
export interface AgentDataType {
  /** The CATS type (`serverGroups`, `instances`, …); never contains `:`. */
  readonly typeName: string;
  /** Whether the agent owns the type (evicts what it no longer returns) or only contributes to it. */
  readonly authority: Authority;
}

/** An {@link AgentDataType} the agent owns: ids it wrote before and does not return now are evicted. */
export const authoritative = (typeName: string): AgentDataType => ({ typeName, authority: 'AUTHORITATIVE' });
/** An {@link AgentDataType} the agent contributes to without ever implying deletion. */
export const informative = (typeName: string): AgentDataType => ({ typeName, authority: 'INFORMATIVE' });
