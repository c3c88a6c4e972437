/**
 * Vocabulary for Kubernetes audit events: API resources with their groups and scope, and the
 * users, agents and names that appear in real clusters. Every identity is synthetic: humans are
 * on example.com and addresses come from the documentation ranges (RFC 5737), never real data.
 */

/** Every verb the generator can emit. */
export const AUDIT_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] as const;

/** An API resource as audit events name it. */
export interface ApiResource {
  readonly resource: string;
  readonly kind: string;
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly namespaced: boolean;
  /** Share of traffic relative to the other resources. */
  readonly weight: number;
}

/** Resources across the core, apps, batch and rbac groups, weighted roughly as busy clusters see them. */
export const API_RESOURCES: readonly ApiResource[] = [
  { resource: 'pods', kind: 'Pod', group: '', version: 'v1', namespaced: true, weight: 22 },
  { resource: 'services', kind: 'Service', group: '', version: 'v1', namespaced: true, weight: 6 },
  { resource: 'secrets', kind: 'Secret', group: '', version: 'v1', namespaced: true, weight: 9 },
  { resource: 'configmaps', kind: 'ConfigMap', group: '', version: 'v1', namespaced: true, weight: 10 },
  { resource: 'serviceaccounts', kind: 'ServiceAccount', group: '', version: 'v1', namespaced: true, weight: 3 },
  { resource: 'endpoints', kind: 'Endpoints', group: '', version: 'v1', namespaced: true, weight: 6 },
  { resource: 'events', kind: 'Event', group: '', version: 'v1', namespaced: true, weight: 5 },
  { resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', group: '', version: 'v1', namespaced: true, weight: 2 },
  { resource: 'namespaces', kind: 'Namespace', group: '', version: 'v1', namespaced: false, weight: 2 },
  { resource: 'nodes', kind: 'Node', group: '', version: 'v1', namespaced: false, weight: 4 },
  { resource: 'deployments', kind: 'Deployment', group: 'apps', version: 'v1', namespaced: true, weight: 8 },
  { resource: 'replicasets', kind: 'ReplicaSet', group: 'apps', version: 'v1', namespaced: true, weight: 5 },
  { resource: 'statefulsets', kind: 'StatefulSet', group: 'apps', version: 'v1', namespaced: true, weight: 3 },
  { resource: 'daemonsets', kind: 'DaemonSet', group: 'apps', version: 'v1', namespaced: true, weight: 2 },
  { resource: 'jobs', kind: 'Job', group: 'batch', version: 'v1', namespaced: true, weight: 3 },
  { resource: 'cronjobs', kind: 'CronJob', group: 'batch', version: 'v1', namespaced: true, weight: 2 },
  { resource: 'roles', kind: 'Role', group: 'rbac.authorization.k8s.io', version: 'v1', namespaced: true, weight: 2 },
  { resource: 'rolebindings', kind: 'RoleBinding', group: 'rbac.authorization.k8s.io', version: 'v1', namespaced: true, weight: 2 },
  { resource: 'clusterroles', kind: 'ClusterRole', group: 'rbac.authorization.k8s.io', version: 'v1', namespaced: false, weight: 1 },
  { resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io', version: 'v1', namespaced: false, weight: 1 },
];

/** Namespaces most clusters have; more are made up as `team-<word>-<n>`. */
export const COMMON_NAMESPACES = ['default', 'kube-system', 'kube-public', 'monitoring', 'ingress-nginx', 'cert-manager', 'argocd', 'logging'];

/** Words for application, namespace and object names. */
export const APP_WORDS = [
  'api', 'web', 'worker', 'cache', 'payments', 'checkout', 'search', 'auth', 'frontend', 'billing', 'catalog', 'inventory',
  'gateway', 'scheduler', 'notifier', 'ledger', 'reports', 'ingest', 'metrics', 'export', 'orders', 'profile', 'media', 'queue',
];

/** Control-plane components that act as users (`system:` identities). */
export const SYSTEM_USERS = [
  'system:kube-controller-manager',
  'system:kube-scheduler',
  'system:apiserver',
  'system:kube-proxy',
  'system:serviceaccount:kube-system:replicaset-controller',
  'system:serviceaccount:kube-system:deployment-controller',
  'system:serviceaccount:kube-system:job-controller',
  'system:serviceaccount:kube-system:endpoint-controller',
  'system:serviceaccount:kube-system:namespace-controller',
  'system:serviceaccount:kube-system:generic-garbage-collector',
];

/** Service accounts workloads run as, besides `<app>` ones. */
export const SERVICE_ACCOUNTS = ['default', 'deployer', 'prometheus', 'fluent-bit', 'argocd-application-controller', 'cert-manager', 'external-dns'];

/** Made-up first parts of human user names (on example.com, never real people). */
export const HUMAN_HANDLES = ['ops', 'dev', 'sre', 'admin', 'oncall', 'release', 'platform', 'data', 'security', 'qa'];

/** Kubernetes version strings in user agents. */
export const KUBE_VERSIONS = ['v1.29.6', 'v1.30.4', 'v1.31.1'];

/** Reasons the authorizer gives for allowed requests. */
export const ALLOW_REASONS = [
  'RBAC: allowed by ClusterRoleBinding "system:controller" of ClusterRole "admin" to ServiceAccount',
  'RBAC: allowed by RoleBinding "edit" of ClusterRole "edit" to User',
  'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"',
  '',
];
