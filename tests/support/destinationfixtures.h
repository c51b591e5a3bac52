#pragma once

// Ready-made connection/stream/credentials for every destination kind, matching the sandbox's
// default demo credentials (SandboxCredentials), pointed at `baseUrl`. Used by the destination
// unit tests, the conformance suite and bench_encode.

#include "destination/destination.h"

#include <QDate>

namespace syncdesk::test {

struct DestinationFixture
{
    ConnectionConfig connection;
    StreamConfig stream;
    Credentials credentials;
};

inline DestinationFixture destinationFixture(const QString &kind, const QString &baseUrl,
                                             const QString &target
                                             = QStringLiteral("syncdesk-test"))
{
    DestinationFixture f;
    f.connection.kind = kind;
    f.connection.name = kind + u" test";
    f.connection.endpoint = baseUrl;
    f.stream.name = target;
    f.stream.target = target;
    if (kind == u"firehose") {
        f.connection.region = QStringLiteral("us-east-1");
        f.credentials = {QStringLiteral("AKIDEXAMPLE"),
                         QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                         {}};
    } else if (kind == u"stitch") {
        f.connection.settings.insert(QStringLiteral("client_id"), 1);
        f.credentials.secret = QStringLiteral("demo-stitch-token");
        f.stream.keyNames = {QStringLiteral("id")};
        f.stream.settings.insert(QStringLiteral("column_types"),
                                 QVariantMap{{QStringLiteral("id"), QStringLiteral("integer")},
                                             {QStringLiteral("user_id"), QStringLiteral("string")},
                                             {QStringLiteral("name"), QStringLiteral("string")},
                                             {QStringLiteral("pad"), QStringLiteral("string")}});
    } else if (kind == u"segment") {
        f.credentials.secret = QStringLiteral("demo");
        f.stream.target = QStringLiteral("Row Uploaded");
        f.stream.settings.insert(QStringLiteral("user_id_field"), QStringLiteral("user_id"));
    } else if (kind == u"byteair") {
        f.connection.region = QStringLiteral("cn-north-1");
        f.connection.settings.insert(QStringLiteral("application_id"), QStringLiteral("demo-app"));
        f.connection.settings.insert(QStringLiteral("tenant_id"), QStringLiteral("demo-tenant"));
        f.credentials = {QStringLiteral("AKVOLCDEMO"), QStringLiteral("volc-demo-secret"), {}};
    } else if (kind == u"dis") {
        f.connection.region = QStringLiteral("cn-north-1");
        f.connection.settings.insert(QStringLiteral("project_id"), QStringLiteral("demo-project"));
        f.credentials = {QStringLiteral("HWDEMOAK"), QStringLiteral("hw-demo-secret"), {}};
    } else if (kind == u"http-json") {
        f.connection.endpoint = baseUrl + u"/ingest/" + target;
        f.credentials.secret = QStringLiteral("demo-token");
    }
    return f;
}

inline RunContext fixtureRun(Stage stage = Stage::HistorySync)
{
    RunContext run;
    run.runId = 7;
    run.runSeed = "0123456789abcdef";
    run.runEpochSeconds = 1718020800; // 2024-06-10T12:00:00Z
    run.stage = stage;
    run.dataDate = QDate(2024, 6, 9);
    return run;
}

// A row every destination accepts: {"id":<row>,"user_id":"u<row>","name":"...","pad":"<n x>"}.
inline Record fixtureRecord(qint64 row, int padBytes = 0)
{
    Record r;
    r.pos.row = row;
    r.json = "{\"id\":" + QByteArray::number(row) + ",\"user_id\":\"u" + QByteArray::number(row)
        + "\",\"name\":\"row " + QByteArray::number(row) + "\",\"pad\":\""
        + QByteArray(padBytes, 'x') + "\"}";
    return r;
}

} // namespace syncdesk::test
