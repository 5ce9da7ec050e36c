/** The tool's version (kept in step with package.json and krew-manifest.yaml). */
export const VERSION = '0.1.0';
