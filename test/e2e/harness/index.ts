// Public API of the e2e harness (see README.md in this folder).
export { e2eSkipReason, ensureBinaries, kubectlPath, MissingToolchainError } from './binaries.js';
export {
  DEFAULT_CONTROLLERS,
  startControlPlane,
  type ControlPlane,
  type ControlPlaneOptions,
} from './control-plane.js';
export {
  applyYaml,
  clusterState,
  getSharedControlPlane,
  kubectl,
  kubeconfigWithRole,
  putLatest,
  releaseSharedControlPlane,
  START_TIMEOUT_MS,
  useControlPlane,
  waitFor,
  withNamespace,
  type KubectlOptions,
  type KubectlResult,
  type WaitOptions,
} from './helpers.js';
export { ApiError, KubeClient, MERGE_PATCH, STRATEGIC_MERGE_PATCH, type WatchEvent } from './kube-client.js';
export {
  behaviourScript,
  EXTERNAL_IMAGE,
  MISSING_IMAGE,
  nodeImage,
  parseDuration,
  podTemplate,
  type Behaviour,
  type Step,
} from './pod-behaviour.js';
export { NODE_DIR, NODE_IP, RealNode } from './node.js';
