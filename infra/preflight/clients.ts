/**
 * The real AWS SDK v3 clients the preflight calls, on the normal credential chain (environment,
 * AWS_PROFILE, SSO, instance role). Tests pass `config` (a request handler answering with recorded
 * responses, static credentials) and get the same clients.
 */
import { STSClient } from '@aws-sdk/client-sts';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { ChatbotClient } from '@aws-sdk/client-chatbot';
import { RDSClient } from '@aws-sdk/client-rds';
import { SSMIncidentsClient } from '@aws-sdk/client-ssm-incidents';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import type { AwsClients } from './aws-checks';

/** What every client shares: a request handler and credentials in tests, nothing in real use. */
export type SharedClientConfig = Record<string, unknown>;

export interface ClientRegions {
  readonly region: string;
  readonly chatbotRegion: string;
}

/** Cost Explorer's API endpoint is in us-east-1 whatever the stack's region. */
export const COST_EXPLORER_REGION = 'us-east-1';

export function createClients({ region, chatbotRegion }: ClientRegions, config: SharedClientConfig = {}): AwsClients {
  // One attempt: a preflight reports what it sees, it does not wait out throttling.
  const base = { maxAttempts: 1, ...config };
  return {
    sts: new STSClient({ ...base, region }),
    lambda: new LambdaClient({ ...base, region }),
    quotas: new ServiceQuotasClient({ ...base, region }),
    bedrock: new BedrockClient({ ...base, region }),
    chatbot: new ChatbotClient({ ...base, region: chatbotRegion } as NonNullable<ConstructorParameters<typeof ChatbotClient>[0]>),
    rds: new RDSClient({ ...base, region }),
    incidents: new SSMIncidentsClient({ ...base, region }),
    costExplorer: new CostExplorerClient({ ...base, region: COST_EXPLORER_REGION }),
  };
}
