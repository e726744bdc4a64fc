/** The package version, reported at registration. */
export const VERSION = '0.1.0';
