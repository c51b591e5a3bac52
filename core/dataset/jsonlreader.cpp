#include "readers_p.h"

#include "util/byteslab.h"
#include "util/json.h"

#include <QSet>

#include <cstring>

namespace syncdesk::detail {

namespace {

constexpr int kColumnSampleLines = 100;

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

QString ruleFor(const json::ScanError &e)
{
    return e.message.contains(u"UTF-8") ? QStringLiteral("encoding") : QStringLiteral("parse");
}

// One JSON object per line; the record is the line itself once validated.
class JsonLinesReader final : public TextReader
{
public:
    using TextReader::TextReader;

    bool init(QString *error)
    {
        m_in->fill();
        if (m_in->failed()) {
            *error = m_in->errorString();
            return false;
        }
        m_in->consume(m_bomEnd);
        sampleColumns();
        return true;
    }

    ReadStatus read(Record &record, RowError &error) override;
    QStringList columns() const override { return m_columns; }
    bool seek(const SourcePos &pos) override
    {
        if (pos.offset < 0 || !m_in->seek(pos.offset))
            return false;
        m_scanned = 0;
        m_skipping = false;
        m_nextRow = pos.row;
        return true;
    }
    DatasetFormat format() const override { return DatasetFormat::JsonLines; }
    QVariantMap details() const override
    {
        QVariantMap d = TextReader::details();
        d.insert(QStringLiteral("format"), QStringLiteral("jsonl"));
        d.insert(QStringLiteral("firstRowOffset"), m_bomEnd);
        d.insert(QStringLiteral("firstRowLine"), 1);
        return d;
    }

private:
    void sampleColumns()
    {
        const char *p = m_in->data();
        const qsizetype n = m_in->available();
        qsizetype at = 0;
        QSet<QString> seen;
        std::vector<json::Member> members;
        for (int lines = 0; lines < kColumnSampleLines && at < n; ++lines) {
            const auto *nl = static_cast<const char *>(std::memchr(p + at, '\n', size_t(n - at)));
            const qsizetype end = nl ? nl - p : n;
            if (!nl && !m_in->atEnd())
                break;
            if (json::scanObject(QByteArrayView(p + at, end - at), members).ok()) {
                for (const json::Member &m : members) {
                    const QString key = QString::fromUtf8(m.key());
                    if (!seen.contains(key)) {
                        seen.insert(key);
                        m_columns.append(key);
                    }
                }
            }
            at = end + 1;
        }
    }

    QStringList m_columns;
    qint64 m_nextRow = 1;
    qsizetype m_scanned = 0;
    bool m_skipping = false;
    ByteSlab m_rows;
};

ReadStatus JsonLinesReader::read(Record &record, RowError &error)
{
    for (;;) {
        const char *nl = static_cast<const char *>(
            std::memchr(m_in->data() + m_scanned, '\n', size_t(m_in->available() - m_scanned)));
        qsizetype end;
        bool terminated = nl != nullptr;
        if (nl) {
            end = nl - m_in->data();
        } else {
            m_scanned = m_in->available();
            if (m_skipping) {
                m_in->consume(m_in->available());
                m_scanned = 0;
            } else if (m_in->available() > m_maxRow) {
                const SourcePos pos{m_nextRow, m_in->pos(), m_nextRow};
                setError(error, pos, QStringLiteral("row_too_large"),
                         QStringLiteral("the line is longer than %1 MiB; skipped")
                             .arg(m_maxRow / (1024 * 1024)),
                         QByteArrayView(m_in->data(), m_in->available()));
                m_in->consume(m_in->available());
                m_scanned = 0;
                m_skipping = true;
                return ReadStatus::RowError;
            }
            if (m_in->fill())
                continue;
            if (m_in->failed()) {
                return sourceFailed(error, SourcePos{m_nextRow, m_in->pos(), m_nextRow});
            }
            if (m_in->available() == 0 || m_follow)
                return ReadStatus::End; // following: the last line may still be being written
            end = m_in->available();
        }
        const qsizetype consumed = terminated ? end + 1 : end;
        m_scanned = 0;
        if (m_skipping) {
            m_skipping = false;
            m_in->consume(consumed);
            ++m_nextRow;
            continue;
        }
        const char *p = m_in->data();
        qsizetype b = 0;
        qsizetype e = end;
        while (e > b && isSpace(p[e - 1]))
            --e;
        while (b < e && (isSpace(p[b]) || p[b] == '\f'))
            ++b;
        const SourcePos pos{m_nextRow, m_in->pos(), m_nextRow};
        ++m_nextRow;
        if (b == e) {
            m_in->consume(consumed); // blank line
            continue;
        }
        const QByteArrayView line(p + b, e - b);
        ReadStatus st = ReadStatus::Record;
        if (line.size() > m_maxRow) {
            setError(error, pos, QStringLiteral("row_too_large"),
                     QStringLiteral("the line is longer than %1 MiB; skipped")
                         .arg(m_maxRow / (1024 * 1024)),
                     line);
            st = ReadStatus::RowError;
        } else if (pos.offset > m_bomEnd && line.startsWith("\xEF\xBB\xBF")) {
            setError(error, pos, QStringLiteral("encoding"),
                     QStringLiteral("byte order mark in the middle of the file (were files "
                                    "concatenated?)"),
                     line);
            st = ReadStatus::RowError;
        } else {
            // Rows share blocks of memory: one allocation per few hundred rows, not one per row.
            // The copy is scanned, so the members the stages after reuse point into it (next()
            // forgot the previous row's, whose copy may have sat at the same address).
            record.json = m_rows.copy(line);
            if (record.members.scan(record.json).ok()) {
                record.pos = pos;
            } else {
                record.json = QByteArray();
                // A bad line is validated again to be told how.
                json::Type type = json::Type::Null;
                const json::ScanError scan = json::validate(line, &type);
                if (!scan.ok())
                    setError(error, pos, ruleFor(scan),
                             QStringLiteral("invalid JSON at column %1: %2")
                                 .arg(b + scan.offset + 1)
                                 .arg(scan.message),
                             line);
                else
                    setError(error, pos, QStringLiteral("parse"),
                             QStringLiteral("the line is a JSON value but not an object"), line);
                st = ReadStatus::RowError;
            }
        }
        m_in->consume(consumed);
        return st;
    }
}

} // namespace

std::unique_ptr<RecordReader> makeJsonLinesReader(OpenedSource source, const DatasetSpec &spec,
                                                  QString *error)
{
    auto reader = std::make_unique<JsonLinesReader>(std::move(source), spec);
    if (!reader->init(error))
        return nullptr;
    return reader;
}

} // namespace syncdesk::detail
