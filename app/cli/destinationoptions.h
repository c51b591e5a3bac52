#pragma once

// Where a command sends to, from its options: a saved connection (--connection NAME), a saved
// stream (--stream NAME alone), or an ad-hoc destination (--kind --endpoint --stream ...), with
// the credentials from the keychain or from each service's conventional environment variables.
// Also the job options shared by upload and run (--stage, --date, --shard, ...).

#include "cli/commandline.h"
#include "destination/destination.h"
#include "engine/job.h"

#include <optional>

namespace syncdesk {
class CatalogDatabase;
}

namespace syncdesk::cli {

// Where the credentials of `kind` come from in the environment: "firehose: AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (optional); AWS_REGION" one line per kind.
QString environmentHelp();
// The variables read for `kind` (for messages).
QStringList credentialVariables(const QString &kind, const QVariantMap &settings = {});
// byteair with the setting auth=token takes its token from BYTEAIR_TOKEN.
Credentials credentialsFromEnvironment(const QString &kind, const QVariantMap &settings = {});
// Region / project defaults the environment gives (AWS_REGION, HUAWEICLOUD_SDK_PROJECT_ID...).
void applyEnvironmentDefaults(ConnectionConfig &connection);

// The credentials of `connection`: a saved connection's from the keychain, else (nothing stored,
// or no keychain) from the environment; an ad-hoc connection's from the environment. Every
// secret is registered for redaction. `source` says where they came from, for --verbose;
// `variables` (optional) lists the environment variables a part of them was taken from (none
// when the keychain had them), for the message of a refusal.
Credentials resolveCredentials(const ConnectionConfig &connection, QString *source,
                               QStringList *variables = nullptr);
// What to check after the service refused credentials taken from `variables` ("" when none).
QString environmentCredentialsHint(const QStringList &variables);

// Adds --connection --kind --endpoint --region --stream --topic --setting --key-names and the
// batch and rate options.
void addDestinationOptions(CommandLine &cl);
// Fills `connection` and `stream` from the options (see the header comment). Returns nothing on
// success, otherwise the exit code (message printed): ExitUsage for bad or unknown names.
std::optional<int> destinationFromOptions(const CommandLine &cl, const CatalogDatabase &db,
                                          ConnectionConfig *connection, StreamConfig *stream);

// --stage --date --format --concurrency --max-attempts --timeout-ms --shard --reload --follow
// --s3-endpoint --s3-region --s3-path-style --s3-profile --s3-connection
void addJobOptions(CommandLine &cl, bool withFormat);
// Applies the options set on the command line onto `job` (what is not set stays). An offline
// stage without a date gets today's UTC date and *dateDefaulted is set.
std::optional<int> applyJobOptions(const CommandLine &cl, JobSpec &job, bool *dateDefaulted);

// The secret the readers of `dataset` need: an s3:// dataset with a saved connection
// (--s3-connection) gets that connection's key pair (s3::encodeSecret, registered for redaction);
// a SQL dataset SYNCDESK_SQL_PASSWORD.
QString sourceSecret(const GlobalOptions &globals, const DatasetSpec &dataset);
// DATASET of upload, validate and plan as the job keeps it: s3:// URLs as given, files absolute.
QString datasetPath(const QString &argument);
// DATASET of upload, validate and plan: an s3:// object or prefix, a file, or a folder to follow
// (`canFollow` and --follow given: every file the folder receives is sent). Returns nothing when
// usable, otherwise ExitUsage after saying what the path is instead (missing, a directory, not a
// regular file).
std::optional<int> checkDatasetArgument(const CommandLine &cl, const QString &path, bool canFollow);

// --insecure: the operator accepts a connection whose `insecure` setting turns TLS verification
// off. Without it such a connection is refused (ExitConfig, message printed).
void addInsecureOption(CommandLine &cl);
std::optional<int> refuseInsecure(const CommandLine &cl, const ConnectionConfig &connection);

// Creates the destination once to check the configuration and credentials before a run. Returns
// the problem (with the environment variables to set when they are the cause), empty when fine.
QString checkDestination(const ConnectionConfig &connection, const StreamConfig &stream,
                         const Credentials &credentials);

} // namespace syncdesk::cli
