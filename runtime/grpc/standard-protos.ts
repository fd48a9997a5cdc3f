// The standard messages a meshspec gRPC server speaks besides its service's own: the google.rpc
// error details of failed calls and the grpc.health.v1 service. Declared with protobufjs reflection
// rather than loaded from .proto files, so the runtime does not depend on a package of every Google
// API; names and field numbers are those of the official files (google/rpc/status.proto,
// google/rpc/error_details.proto, grpc/health/v1/health.proto), and the tests decode what the server
// sends with definitions loaded from those files. Only the messages meshspec sends are declared.
import protobuf from 'protobufjs';

const json = {
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: { fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } },
          },
        },
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: 'int32', id: 1 },
                message: { type: 'string', id: 2 },
                details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 },
              },
            },
            ErrorInfo: {
              fields: {
                reason: { type: 'string', id: 1 },
                domain: { type: 'string', id: 2 },
                metadata: { keyType: 'string', type: 'string', id: 3 },
              },
            },
            BadRequest: {
              fields: { field_violations: { rule: 'repeated', type: 'FieldViolation', id: 1 } },
              nested: {
                FieldViolation: { fields: { field: { type: 'string', id: 1 }, description: { type: 'string', id: 2 } } },
              },
            },
          },
        },
      },
    },
    grpc: {
      nested: {
        health: {
          nested: {
            v1: {
              nested: {
                HealthListRequest: { fields: {} },
                HealthListResponse: { fields: { statuses: { keyType: 'string', type: 'HealthCheckResponse', id: 1 } } },
                HealthCheckRequest: { fields: { service: { type: 'string', id: 1 } } },
                HealthCheckResponse: {
                  fields: { status: { type: 'ServingStatus', id: 1 } },
                  nested: { ServingStatus: { values: { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } } },
                },
                Health: {
                  methods: {
                    Check: { requestType: 'HealthCheckRequest', responseType: 'HealthCheckResponse' },
                    Watch: { requestType: 'HealthCheckRequest', responseType: 'HealthCheckResponse', responseStream: true },
                    List: { requestType: 'HealthListRequest', responseType: 'HealthListResponse' },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

// protobufjs's INamespace typing has no map fields' keyType and requires method comments.
export const standardProtos = json as unknown as protobuf.INamespace;

const root = protobuf.Root.fromJSON(standardProtos);

/** A message type of the standard protos, by fully qualified name. */
export function standardType(name: string): protobuf.Type {
  return root.lookupType(name);
}
