#pragma once

// Ready-made connection/stream/credentials for every destination kind, as the sandbox's service
// for that kind describes its client (sandboxClient(): the default demo credentials), pointed at
// `baseUrl`. Used by the destination unit tests, the conformance suite and bench_encode.

#include "destination/destination.h"
#include "sandbox/sandbox.h"

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
    const SandboxClient client = sandboxClient(kind, baseUrl, target);
    DestinationFixture f{client.connection, client.stream, client.credentials};
    f.connection.kind = kind;
    f.connection.name = kind + u" test";
    // What the fixture rows (fixtureRecord) need: Stitch a schema for their columns, Segment the
    // field that holds the user id.
    if (kind == u"stitch") {
        f.stream.keyNames = {QStringLiteral("id")};
        f.stream.settings.insert(QStringLiteral("column_types"),
                                 QVariantMap{{QStringLiteral("id"), QStringLiteral("integer")},
                                             {QStringLiteral("user_id"), QStringLiteral("string")},
                                             {QStringLiteral("name"), QStringLiteral("string")},
                                             {QStringLiteral("pad"), QStringLiteral("string")}});
    } else if (kind == u"segment") {
        f.stream.target = QStringLiteral("Row Uploaded");
        f.stream.settings.insert(QStringLiteral("user_id_field"), QStringLiteral("user_id"));
    }
    return f;
}

// The kinds the conformance suite runs over: every registered one (each has its sandbox service).
inline QStringList conformanceKinds()
{
    return destinationKinds();
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
