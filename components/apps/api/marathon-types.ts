/** The parts of Marathon's App type (v2/types/app.raml, 1.10) the program writes or reads. */

export interface MarathonHealthCheck {
  readonly protocol: 'HTTP' | 'HTTPS' | 'TCP' | 'MESOS_HTTP' | 'MESOS_HTTPS' | 'MESOS_TCP' | 'COMMAND';
  readonly path?: string;
  readonly portIndex?: number;
  readonly port?: number;
  readonly command?: { readonly value: string };
  readonly gracePeriodSeconds?: number;
  readonly intervalSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly maxConsecutiveFailures?: number;
  readonly delaySeconds?: number;
  readonly ignoreHttp1xx?: boolean;
}

export interface MarathonPortDefinition {
  readonly port: number;
  readonly protocol?: string;
  readonly name?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface MarathonVolume {
  readonly containerPath: string;
  readonly hostPath?: string;
  readonly mode: 'RW' | 'RO';
  readonly persistent?: { readonly size: number; readonly type?: string };
}

export interface MarathonContainer {
  readonly type: 'DOCKER' | 'MESOS';
  readonly docker?: {
    readonly image: string;
    readonly network?: 'HOST' | 'BRIDGE' | 'USER' | 'NONE';
    readonly forcePullImage?: boolean;
    readonly privileged?: boolean;
    readonly parameters?: readonly { readonly key: string; readonly value: string }[];
  };
  readonly volumes?: readonly MarathonVolume[];
}

export interface MarathonAppDefinition {
  readonly id: string;
  readonly cmd?: string;
  readonly args?: readonly string[];
  readonly cpus?: number;
  readonly mem?: number;
  readonly disk?: number;
  readonly instances?: number;
  readonly user?: string;
  readonly container?: MarathonContainer;
  readonly env?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly constraints?: readonly (readonly string[])[];
  readonly portDefinitions?: readonly MarathonPortDefinition[];
  readonly requirePorts?: boolean;
  readonly healthChecks?: readonly MarathonHealthCheck[];
  readonly upgradeStrategy?: { readonly minimumHealthCapacity: number; readonly maximumOverCapacity: number };
  readonly fetch?: readonly { readonly uri: string; readonly extract?: boolean; readonly cache?: boolean }[];
  readonly [extra: string]: unknown;
}

export interface MarathonTask {
  readonly id: string;
  readonly appId?: string;
  readonly host?: string;
  readonly ports?: readonly number[];
  readonly state?: string;
  readonly startedAt?: string;
  readonly healthCheckResults?: readonly { readonly alive: boolean; readonly lastFailureCause?: string }[];
}

export interface MarathonDeployment {
  readonly id: string;
  readonly affectedApps?: readonly string[];
  readonly currentStep?: number;
  readonly totalSteps?: number;
}

/** Chronos 3 job (docs/docs/api.md "Job Configuration"). */
export interface ChronosJobDefinition {
  readonly name: string;
  readonly command: string;
  readonly description?: string;
  readonly schedule?: string;
  readonly scheduleTimeZone?: string;
  readonly parents?: readonly string[];
  readonly shell?: boolean;
  readonly arguments?: readonly string[];
  readonly owner?: string;
  readonly ownerName?: string;
  readonly retries?: number;
  readonly disabled?: boolean;
  readonly concurrent?: boolean;
  readonly cpus?: number;
  readonly mem?: number;
  readonly disk?: number;
  readonly runAsUser?: string;
  readonly constraints?: readonly (readonly string[])[];
  readonly environmentVariables?: readonly { readonly name: string; readonly value: string }[];
  readonly container?: {
    readonly type: 'DOCKER' | 'MESOS';
    readonly image: string;
    readonly network?: 'HOST' | 'BRIDGE';
    readonly forcePullImage?: boolean;
    readonly volumes?: readonly {
      readonly containerPath: string;
      readonly hostPath: string;
      readonly mode: 'RW' | 'RO';
    }[];
    /** `docker run` options, e.g. `{ key: 'user', value: '0' }`. */
    readonly parameters?: readonly { readonly key: string; readonly value: string }[];
  };
  readonly [extra: string]: unknown;
}
