// s3://bucket/prefix/ as a dataset: the objects under the prefix (all levels, in key order,
// "folder" markers and empty objects left out) read one after the other, each with its own
// format, compression and header sniffed. Rows are numbered across the objects. A row's offset
// holds its object's index in the top bits and its offset in that object below, so a checkpoint
// or a preview index entry seeks straight back into the right object.

#include "dataset/readers_p.h"
#include "objectstore/s3source.h"

namespace syncdesk::detail {

namespace {

constexpr int kIndexShift = 40; // objects up to 1 TiB, 2^23 objects

class ObjectFolderReader final : public RecordReader
{
public:
    ObjectFolderReader(const s3::ObjectUrl &url, const s3::Access &access, const DatasetSpec &spec,
                       QList<s3::ObjectInfo> objects)
        : m_url(url)
        , m_access(access)
        , m_spec(spec)
        , m_objects(std::move(objects))
    {
        for (const auto &o : m_objects)
            m_total += o.size;
    }

    bool openFirst(QString *error)
    {
        if (!openObject(0, error))
            return false;
        m_columns = m_reader->columns();
        m_format = m_reader->format();
        m_warnings = m_reader->warnings();
        m_schema = m_reader->schema();
        m_details = m_reader->details();
        m_details.insert(QStringLiteral("objects"), m_objects.size());
        return true;
    }

    ReadStatus read(Record &record, RowError &error) override
    {
        for (;;) {
            if (!m_reader) {
                if (m_index + 1 >= m_objects.size())
                    return ReadStatus::End;
                m_rowBase = m_lastRow;
                QString problem;
                if (!openObject(m_index + 1, &problem)) {
                    error = RowError();
                    error.file = objectName(m_index + 1);
                    error.rule = QStringLiteral("io");
                    error.message = problem;
                    return ReadStatus::Fatal;
                }
            }
            const ReadStatus status = m_reader->next(record, error);
            if (status == ReadStatus::Record || status == ReadStatus::RowError) {
                SourcePos &pos = status == ReadStatus::Record ? record.pos : error.pos;
                pos.row += m_rowBase;
                if (pos.offset >= 0)
                    pos.offset |= qint64(m_index) << kIndexShift;
                m_lastRow = std::max(m_lastRow, pos.row);
                return status;
            }
            if (status == ReadStatus::Fatal)
                return status;
            m_bytesBefore += m_objects[m_index].size;
            m_reader.reset();
        }
    }

    QStringList columns() const override { return m_columns; }
    qint64 bytesRead() const override
    {
        return m_bytesBefore + (m_reader ? m_reader->bytesRead() : 0);
    }
    qint64 totalBytes() const override { return m_total; }
    bool seek(const SourcePos &pos) override
    {
        if (pos.offset < 0)
            return false;
        const auto index = qsizetype(pos.offset >> kIndexShift);
        if (index >= m_objects.size())
            return false;
        QString problem;
        if (index != m_index || !m_reader) {
            if (!openObject(index, &problem))
                return false;
        }
        SourcePos inner = pos;
        inner.offset = pos.offset & ((qint64(1) << kIndexShift) - 1);
        if (!m_reader->seek(inner))
            return false;
        // The object's reader now counts rows from pos.row: no base to add.
        m_rowBase = 0;
        m_lastRow = pos.row - 1;
        return true;
    }
    DatasetFormat format() const override { return m_format; }
    QList<RowError> warnings() const override { return m_warnings; }
    QList<ColumnSchema> schema() const override { return m_schema; }
    QVariantMap details() const override { return m_details; }

private:
    QString objectName(qsizetype index) const
    {
        return s3::ObjectUrl{m_url.bucket, m_objects[index].key}.toString();
    }

    bool openObject(qsizetype index, QString *error)
    {
        const s3::ObjectUrl url{m_url.bucket, m_objects[index].key};
        m_reader.reset();
        s3::ObjectInfo info;
        auto raw = s3::openObjectSource(url, m_access, error, &info);
        if (!raw)
            return false;
        if (info.etag != m_objects[index].etag || info.size != m_objects[index].size) {
            *error = QStringLiteral("%1: the object was replaced since the prefix was listed "
                                    "(ETag %2, now %3)")
                         .arg(url.toString(), QString::fromUtf8(m_objects[index].etag),
                              QString::fromUtf8(info.etag));
            return false;
        }
        DatasetSpec spec = m_spec;
        spec.path = url.toString();
        m_reader = openByteSource(std::move(raw), spec, url.toString(), error);
        if (!m_reader)
            return false;
        m_index = index;
        m_bytesBefore = 0;
        for (qsizetype i = 0; i < index; ++i)
            m_bytesBefore += m_objects[i].size;
        return true;
    }

    const s3::ObjectUrl m_url;
    const s3::Access m_access;
    const DatasetSpec m_spec;
    const QList<s3::ObjectInfo> m_objects;
    std::unique_ptr<RecordReader> m_reader;
    qsizetype m_index = -1;
    qint64 m_rowBase = 0;
    qint64 m_lastRow = 0;
    qint64 m_bytesBefore = 0;
    qint64 m_total = 0;
    QStringList m_columns;
    DatasetFormat m_format = DatasetFormat::Auto;
    QList<RowError> m_warnings;
    QList<ColumnSchema> m_schema;
    QVariantMap m_details;
};

} // namespace

std::unique_ptr<RecordReader> makeObjectFolderReader(const s3::ObjectUrl &url,
                                                     const s3::Access &access,
                                                     const DatasetSpec &spec, QString *error)
{
    s3::Client client(access);
    const s3::Listing listing = client.list(url);
    if (!listing.error.isEmpty()) {
        *error = listing.error;
        return nullptr;
    }
    QList<s3::ObjectInfo> objects;
    for (const auto &o : listing.objects)
        if (!o.key.endsWith(u'/') && o.size > 0)
            objects.append(o);
    if (objects.isEmpty()) {
        *error = QStringLiteral("%1: no objects under this prefix").arg(url.toString());
        return nullptr;
    }
    auto reader = std::make_unique<ObjectFolderReader>(url, access, spec, std::move(objects));
    if (!reader->openFirst(error))
        return nullptr;
    return reader;
}

} // namespace syncdesk::detail
