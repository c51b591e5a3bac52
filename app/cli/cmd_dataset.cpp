// validate and plan: what a dataset would do to a destination, without sending anything.

#include "catalog/catalog.h"
#include "cli/commands.h"
#include "cli/console.h"
#include "cli/destinationoptions.h"
#include "dataset/validator.h"
#include "engine/runcontroller.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>

namespace syncdesk::cli {

namespace {

struct DatasetJob
{
    JobSpec job;
    Credentials credentials;
};

// The job `validate` and `plan` look at: DATASET to the destination of the options. Nothing is
// sent, so missing credentials are replaced by placeholders (a destination may refuse to be
// created without them).
std::optional<int> datasetJob(CommandLine &cl, const QStringList &args, DatasetJob *out)
{
    cl.setPositionalCount(1, 1);
    addDestinationOptions(cl);
    addJobOptions(cl, true);
    if (auto code = cl.parse(args))
        return *code;
    const QString dataset = cl.positional().first();
    if (auto code = checkDatasetArgument(cl, dataset, false))
        return *code;
    {
        const auto db = openCatalog(cl.globals());
        if (!db)
            return ExitConfig;
        if (auto code = destinationFromOptions(cl, *db, &out->job.connection, &out->job.stream))
            return *code;
    }
    out->job.dataset.path = datasetPath(dataset);
    bool dateDefaulted = false;
    if (auto code = applyJobOptions(cl, out->job, &dateDefaulted))
        return *code;
    if (const QString problem = out->job.check(); !problem.isEmpty())
        return cl.usageError(problem);
    out->credentials = resolveCredentials(out->job.connection, nullptr);
    if (out->credentials.secret.isEmpty()) {
        out->credentials.secret = QStringLiteral("placeholder-secret");
        if (out->credentials.accessKeyId.isEmpty())
            out->credentials.accessKeyId = QStringLiteral("placeholder-id");
    }
    if (const QString problem
        = checkDestination(out->job.connection, out->job.stream, out->credentials);
        !problem.isEmpty())
        return fail(ExitConfig, problem);
    return std::nullopt;
}

QJsonObject rowErrorJson(const RowError &e)
{
    return {{QStringLiteral("row"), e.pos.row},     {QStringLiteral("line"), e.pos.line},
            {QStringLiteral("field"), e.field},     {QStringLiteral("rule"), e.rule},
            {QStringLiteral("message"), e.message}, {QStringLiteral("value"), e.value}};
}

QJsonArray warningsJson(const QList<RowError> &warnings)
{
    QJsonArray out;
    for (const RowError &w : warnings)
        out.append(QJsonObject{{QStringLiteral("rule"), w.rule},
                               {QStringLiteral("field"), w.field},
                               {QStringLiteral("message"), w.describe()}});
    return out;
}

// The warnings of opening the dataset, as lines of a text report.
QString warningsText(const QList<RowError> &warnings)
{
    QString text;
    if (!warnings.isEmpty())
        text += QStringLiteral("Warnings:\n");
    for (const RowError &w : warnings)
        text += QStringLiteral("  [%1] %2\n").arg(w.rule, w.describe());
    return text;
}

} // namespace

int cmdValidate(const QStringList &args)
{
    CommandLine cl(QStringLiteral("validate"), QStringLiteral("DATASET"),
                   QStringLiteral("Checks every row of DATASET against the destination's rules "
                                  "(required fields, key lengths, record size...) without "
                                  "sending anything: counts per rule and the first failing rows. "
                                  "--stream names a saved stream, or give the ad-hoc options of "
                                  "upload. Exit code 1 when some rows are invalid."));
    cl.addOption({QStringLiteral("export"),
                  QStringLiteral("Write every failing row to this CSV file."),
                  QStringLiteral("file.csv")});
    cl.addOption({QStringLiteral("show"),
                  QStringLiteral("Print the first N failing rows (default 10)."),
                  QStringLiteral("n")});
    DatasetJob dj;
    if (auto code = datasetJob(cl, args, &dj))
        return *code;
    qint64 show = 10;
    if (!cl.intValue(QStringLiteral("show"), 0, 1'000'000, &show))
        return ExitUsage;
    const JobSpec &job = dj.job;

    QString error;
    auto destination = createDestination(job.connection, job.stream, dj.credentials, &error);
    auto reader = openDataset(job.dataset, &error, sourceSecret(cl.globals(), job.dataset));
    if (!destination || !reader)
        return fail(ExitConfig, error);
    RunContext ctx;
    ctx.stage = job.stage;
    ctx.dataDate = job.dataDate;
    ctx.runSeed = "validate";
    const Mapper mapper(job.mapping);
    const Validator validator(destination->rules(), destination.get(), ctx);
    ValidationReport report;
    report.addWarnings(reader->warnings());
    const QString file = job.dataset.displayName();
    Record record;
    RowError rowError;
    QList<RowError> errors;
    qint64 rows = 0;
    for (;;) {
        const ReadStatus status = reader->next(record, rowError);
        if (status == ReadStatus::End)
            break;
        if (status == ReadStatus::Fatal)
            return fail(ExitConfig, rowError.describe());
        ++rows;
        errors.clear();
        if (status == ReadStatus::RowError) {
            errors.append(rowError);
        } else if (!mapper.apply(record, rowError)) {
            errors.append(rowError);
        } else if (validator.check(record, file, errors)) {
            report.addValid();
            continue;
        }
        report.addErrors(errors);
    }

    QString exported;
    if (cl.isSet(QStringLiteral("export"))) {
        exported = cl.value(QStringLiteral("export"));
        if (!report.exportCsv(exported, &error))
            return fail(ExitConfig, QStringLiteral("cannot write %1: %2").arg(exported, error));
    }
    const auto counts = report.countsByRule();
    QStringList rules = counts.keys();
    std::sort(rules.begin(), rules.end(), [&](const QString &a, const QString &b) {
        return counts[a] > counts[b] || (counts[a] == counts[b] && a < b);
    });
    const QList<RowError> &failing = report.rows();
    const qsizetype shown = std::min<qsizetype>(failing.size(), qsizetype(show));
    if (cl.globals().json) {
        QJsonObject byRule;
        for (const QString &r : rules)
            byRule.insert(r, counts[r]);
        QJsonArray first;
        for (qsizetype i = 0; i < shown; ++i)
            first.append(rowErrorJson(failing[i]));
        printJson(QJsonObject{{QStringLiteral("dataset"), file},
                              {QStringLiteral("kind"), job.connection.kind},
                              {QStringLiteral("target"), job.stream.target},
                              {QStringLiteral("rows"), rows},
                              {QStringLiteral("valid"), report.validRows()},
                              {QStringLiteral("invalid"), report.invalidRows()},
                              {QStringLiteral("by_rule"), byRule},
                              {QStringLiteral("errors"), first},
                              {QStringLiteral("warnings"), warningsJson(report.warnings())},
                              {QStringLiteral("exported"), exported}});
    } else if (!cl.globals().quiet) {
        QString text = QStringLiteral("Validation of %1 for %2 '%3'\n")
                           .arg(file, job.connection.kind, job.stream.target);
        text += QStringLiteral("  rows     %1\n  valid    %2\n  invalid  %3\n")
                    .arg(groupDigits(rows), 12)
                    .arg(groupDigits(report.validRows()), 12)
                    .arg(groupDigits(report.invalidRows()), 12);
        text += warningsText(report.warnings());
        if (!rules.isEmpty())
            text += QStringLiteral("By rule:\n");
        for (const QString &r : rules)
            text += QStringLiteral("  %1 %2\n").arg(r, -18).arg(groupDigits(counts[r]), 12);
        if (shown > 0)
            text += QStringLiteral("First failing rows:\n");
        for (qsizetype i = 0; i < shown; ++i)
            text += QStringLiteral("  [%1] %2\n").arg(failing[i].rule, failing[i].describe());
        if (!exported.isEmpty())
            text += QStringLiteral("Failing rows written to %1.\n").arg(exported);
        printOut(text);
    }
    return report.invalidRows() > 0 ? ExitFailedRecords : ExitOk;
}

int cmdPlan(const QStringList &args)
{
    CommandLine cl(QStringLiteral("plan"), QStringLiteral("DATASET"),
                   QStringLiteral("Reads, validates and encodes DATASET as an upload would, "
                                  "without sending: rows, valid rows, requests, request bytes "
                                  "and the minimum time at the stream's rate limits. --stream "
                                  "names a saved stream, or give the ad-hoc options of upload."));
    DatasetJob dj;
    if (auto code = datasetJob(cl, args, &dj))
        return *code;
    QString error;
    const Plan plan = planJob(dj.job, dj.credentials, nullptr, &error,
                              sourceSecret(cl.globals(), dj.job.dataset));
    if (!error.isEmpty())
        return fail(ExitConfig, error);
    if (cl.globals().json) {
        printJson(QJsonObject{{QStringLiteral("dataset"), dj.job.dataset.displayName()},
                              {QStringLiteral("kind"), dj.job.connection.kind},
                              {QStringLiteral("target"), dj.job.stream.target},
                              {QStringLiteral("rows"), plan.rows},
                              {QStringLiteral("valid_rows"), plan.validRows},
                              {QStringLiteral("invalid_rows"), plan.invalidRows},
                              {QStringLiteral("requests"), plan.requests},
                              {QStringLiteral("bytes"), plan.bytes},
                              {QStringLiteral("minimum_seconds"), plan.minimumSeconds},
                              {QStringLiteral("limiting_factor"), plan.limitingFactor},
                              {QStringLiteral("warnings"), warningsJson(plan.warnings)}});
    } else if (!cl.globals().quiet) {
        auto line = [](const char *label, const QString &value, const QString &note = {}) {
            return QStringLiteral("  %1 %2%3\n")
                .arg(QLatin1String(label), -13)
                .arg(value, 14)
                .arg(note.isEmpty() ? QString() : QStringLiteral("   (") + note + QLatin1Char(')'));
        };
        printOut(
            QStringLiteral("Plan of %1 to %2 '%3'\n")
                .arg(dj.job.dataset.displayName(), dj.job.connection.kind, dj.job.stream.target)
            + line("rows", groupDigits(plan.rows)) + line("valid rows", groupDigits(plan.validRows))
            + line("invalid rows", groupDigits(plan.invalidRows))
            + line("requests", groupDigits(plan.requests))
            + line("bytes", groupDigits(plan.bytes), formatBytes(plan.bytes))
            + line("minimum time",
                   plan.minimumSeconds > 0 ? formatDuration(plan.minimumSeconds)
                                           : QStringLiteral("-"),
                   plan.requests == 0 ? QStringLiteral("nothing to send")
                       : plan.minimumSeconds > 0
                       ? plan.limitingFactor
                       : QStringLiteral("no rate limit set: as fast as the service answers"))
            + warningsText(plan.warnings));
    }
    return ExitOk;
}

} // namespace syncdesk::cli
