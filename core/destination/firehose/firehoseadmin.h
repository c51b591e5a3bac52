#pragma once

// Firehose control plane for the GUI/CLI: ListDeliveryStreams (paged), DescribeDeliveryStream,
// CreateDeliveryStream (DirectPut -> ExtendedS3DestinationConfiguration), DeleteDeliveryStream.
// Each call has a request builder and a reply parser (pure, testable) and a blocking helper
// that runs both through HttpClient::send. Not thread-safe beyond its const methods.

#include "destination/destination.h"
#include "destination/signing/signingutil.h"

#include <QStringList>

namespace syncdesk {

class HttpClient;

struct FirehoseError
{
    int httpStatus = 0;
    QString type; // sanitized exception name, e.g. ResourceNotFoundException
    QString message;
    QString text() const; // "type: message" (or the transport error)
};

struct DeliveryStreamDescription
{
    QString name;
    QString arn;
    QString status; // CREATING | CREATING_FAILED | DELETING | DELETING_FAILED | ACTIVE
    QString type; // DirectPut | KinesisStreamAsSource | MSKAsSource
    QString versionId;
    double createTimestamp = 0; // epoch seconds
    double lastUpdateTimestamp = 0;
    QStringList destinationIds;
    bool hasMoreDestinations = false;
    QString failureDescription; // FailureDescription.Details, when present
    QString bucketArn; // first S3 destination's BucketARN, when present
};

struct CreateDeliveryStreamParams
{
    QString name;
    QString roleArn;
    QString bucketArn;
    QString prefix; // optional
    QString errorOutputPrefix; // optional
    int bufferSizeMBs = 5; // 1-128
    int bufferIntervalSeconds = 300; // 0-900
    QString compressionFormat
        = QStringLiteral("UNCOMPRESSED"); // GZIP | ZIP | Snappy | HADOOP_SNAPPY
};

class FirehoseAdmin final
{
public:
    FirehoseAdmin(ConnectionConfig connection, Credentials credentials);
    ~FirehoseAdmin();
    FirehoseAdmin(FirehoseAdmin &&) noexcept;
    FirehoseAdmin &operator=(FirehoseAdmin &&) noexcept;

    void setClock(signing::Clock clock); // tests

    // Builders.
    HttpRequest listRequest(int limit = 10, const QString &exclusiveStartName = {}) const;
    HttpRequest describeRequest(const QString &name) const;
    HttpRequest createRequest(const CreateDeliveryStreamParams &params) const;
    HttpRequest deleteRequest(const QString &name, bool allowForceDelete = false) const;
    static QByteArray createBody(const CreateDeliveryStreamParams &params);

    // Parsers: false and `error` filled unless the reply is a 200 of the expected shape.
    static bool parseList(const HttpResponse &response, QStringList *names, bool *hasMore,
                          FirehoseError *error);
    static bool parseDescribe(const HttpResponse &response, DeliveryStreamDescription *out,
                              FirehoseError *error);
    static bool parseCreate(const HttpResponse &response, QString *arn, FirehoseError *error);
    static bool parseDelete(const HttpResponse &response, FirehoseError *error);
    static FirehoseError errorOf(const HttpResponse &response);

    // Blocking calls through `client`.
    bool listAll(HttpClient &client, QStringList *names, FirehoseError *error,
                 int pageSize = 10) const; // follows HasMoreDeliveryStreams
    bool describe(HttpClient &client, const QString &name, DeliveryStreamDescription *out,
                  FirehoseError *error) const;
    bool create(HttpClient &client, const CreateDeliveryStreamParams &params, QString *arn,
                FirehoseError *error) const;
    bool remove(HttpClient &client, const QString &name, FirehoseError *error,
                bool allowForceDelete = false) const;

    // The same through a client of the admin's own (the connection's TLS settings), so a caller
    // needs no HTTP of its own (the window's streams page).
    bool listAll(QStringList *names, FirehoseError *error, int pageSize = 10) const;
    bool describe(const QString &name, DeliveryStreamDescription *out, FirehoseError *error) const;
    bool create(const CreateDeliveryStreamParams &params, QString *arn, FirehoseError *error) const;
    bool remove(const QString &name, FirehoseError *error, bool allowForceDelete = false) const;

private:
    HttpClient &ownClient() const;

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace syncdesk
