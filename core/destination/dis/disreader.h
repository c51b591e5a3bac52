#pragma once

// Reads a DIS stream back (GetCursor + GetRecords), for the GUI's read-back view and the tests:
//   GET
//   /v2/{project_id}/cursors?stream-name=&partition-id=&cursor-type=[&starting-sequence-number=]
//   GET /v2/{project_id}/records?partition-cursor=[&max_fetch_bytes=]
// Signed like the writes (see dissigner.h).

#include "destination/destination.h"
#include "destination/signing/signingutil.h"

namespace syncdesk {

class HttpClient;

struct DisRecord
{
    QByteArray partitionKey;
    QByteArray sequenceNumber;
    QByteArray data; // decoded from base64
    qint64 timestampMs = 0;
};

// The first page of a partition read from a cursor, as the window's read-back view shows it.
struct DisPage
{
    QList<DisRecord> records;
    QByteArray cursor; // the partition cursor the page was read from
    QByteArray nextCursor;
    QString error; // empty when both requests succeeded
};

class DisReader final
{
public:
    DisReader(ConnectionConfig connection, Credentials credentials);

    void setClock(signing::Clock clock) { m_clock = std::move(clock); }

    // cursorType: AT_SEQUENCE_NUMBER | AFTER_SEQUENCE_NUMBER | TRIM_HORIZON | LATEST | AT_TIMESTAMP
    HttpRequest cursorRequest(const QString &streamName, const QString &partitionId,
                              const QString &cursorType = QStringLiteral("TRIM_HORIZON"),
                              const QString &startingSequenceNumber = {},
                              qint64 timestampMs = -1) const;
    HttpRequest recordsRequest(const QByteArray &cursor, qint64 maxFetchBytes = -1) const;

    static bool parseCursor(const HttpResponse &response, QByteArray *cursor, QString *error);
    static bool parseRecords(const HttpResponse &response, QList<DisRecord> *records,
                             QByteArray *nextCursor, QString *error);

    // Reads one partition from TRIM_HORIZON until a page comes back empty or `maxRecords` are
    // read. partitionId: "0" or "shardId-0000000000".
    bool readPartition(HttpClient &client, const QString &streamName, const QString &partitionId,
                       QList<DisRecord> *records, QString *error, int maxRecords = 100000) const;

    // GetCursor (of `cursorType`) and the first GetRecords page, with its own client (the
    // connection's TLS settings). Blocking (network): call it off the UI thread.
    DisPage readFirstPage(const QString &streamName, const QString &partitionId,
                          const QString &cursorType = QStringLiteral("TRIM_HORIZON")) const;

private:
    QByteArray projectPath() const;

    ConnectionConfig m_connection;
    Credentials m_credentials;
    signing::Clock m_clock = signing::systemClock();
};

} // namespace syncdesk
