#include "reader.h"

#include "objectstore/s3source.h"
#include "readers_p.h"
#include "util/json.h"

#include <QFileInfo>

#include <cstring>

namespace syncdesk {

using detail::OpenedSource;

QString formatName(DatasetFormat f)
{
    switch (f) {
    case DatasetFormat::Auto: return QStringLiteral("auto");
    case DatasetFormat::Csv: return QStringLiteral("csv");
    case DatasetFormat::JsonLines: return QStringLiteral("jsonl");
    case DatasetFormat::JsonArray: return QStringLiteral("json");
    case DatasetFormat::Sql: return QStringLiteral("sql");
    }
    return QStringLiteral("auto");
}

DatasetFormat formatFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == u"csv" || n == u"tsv")
        return DatasetFormat::Csv;
    if (n == u"jsonl" || n == u"ndjson" || n == u"json-lines" || n == u"jsonlines")
        return DatasetFormat::JsonLines;
    if (n == u"json" || n == u"json-array")
        return DatasetFormat::JsonArray;
    if (n == u"sql")
        return DatasetFormat::Sql;
    return DatasetFormat::Auto;
}

QVariantMap DatasetSpec::toVariant() const
{
    QVariantMap m;
    m.insert(QStringLiteral("path"), path);
    m.insert(QStringLiteral("format"), formatName(format));
    QVariantMap c;
    c.insert(QStringLiteral("delimiter"),
             csv.delimiter.isNull() ? QString() : QString(csv.delimiter));
    c.insert(QStringLiteral("hasHeader"), csv.hasHeader);
    c.insert(QStringLiteral("quote"), QString(csv.quote));
    m.insert(QStringLiteral("csv"), c);
    if (!sql.driver.isEmpty() || !sql.query.isEmpty()) {
        QVariantMap s;
        s.insert(QStringLiteral("driver"), sql.driver);
        s.insert(QStringLiteral("database"), sql.database);
        s.insert(QStringLiteral("host"), sql.host);
        s.insert(QStringLiteral("port"), sql.port);
        s.insert(QStringLiteral("user"), sql.user);
        s.insert(QStringLiteral("query"), sql.query);
        s.insert(QStringLiteral("cursorColumn"), sql.cursorColumn);
        m.insert(QStringLiteral("sql"), s);
    }
    if (!columnTypes.isEmpty()) {
        QVariantMap t;
        for (auto it = columnTypes.cbegin(); it != columnTypes.cend(); ++it)
            t.insert(it.key(), it.value());
        m.insert(QStringLiteral("columnTypes"), t);
    }
    if (maxRowBytes != DatasetSpec().maxRowBytes)
        m.insert(QStringLiteral("maxRowBytes"), maxRowBytes);
    if (!s3.isEmpty())
        m.insert(QStringLiteral("s3"), s3.toVariant());
    return m;
}

DatasetSpec DatasetSpec::fromVariant(const QVariantMap &map)
{
    DatasetSpec spec;
    spec.path = map.value(QStringLiteral("path")).toString();
    spec.format = formatFromName(map.value(QStringLiteral("format")).toString());
    const QVariantMap c = map.value(QStringLiteral("csv")).toMap();
    const QString delim = c.value(QStringLiteral("delimiter")).toString();
    if (!delim.isEmpty())
        spec.csv.delimiter = delim == u"\\t" ? QChar(u'\t') : delim.at(0);
    spec.csv.hasHeader = c.value(QStringLiteral("hasHeader"), true).toBool();
    const QString quote = c.value(QStringLiteral("quote")).toString();
    if (!quote.isEmpty())
        spec.csv.quote = quote.at(0);
    const QVariantMap s = map.value(QStringLiteral("sql")).toMap();
    spec.sql.driver = s.value(QStringLiteral("driver")).toString();
    spec.sql.database = s.value(QStringLiteral("database")).toString();
    spec.sql.host = s.value(QStringLiteral("host")).toString();
    spec.sql.port = s.value(QStringLiteral("port")).toInt();
    spec.sql.user = s.value(QStringLiteral("user")).toString();
    spec.sql.query = s.value(QStringLiteral("query")).toString();
    spec.sql.cursorColumn = s.value(QStringLiteral("cursorColumn")).toString();
    const QVariantMap t = map.value(QStringLiteral("columnTypes")).toMap();
    for (auto it = t.cbegin(); it != t.cend(); ++it)
        spec.columnTypes.insert(it.key(), it.value().toString());
    if (map.contains(QStringLiteral("maxRowBytes")))
        spec.maxRowBytes = map.value(QStringLiteral("maxRowBytes")).toLongLong();
    spec.s3 = s3::Options::fromVariant(map.value(QStringLiteral("s3")).toMap());
    return spec;
}

QString DatasetSpec::displayName() const
{
    if (format == DatasetFormat::Sql || (path.isEmpty() && !sql.query.isEmpty()))
        return QStringLiteral("SQL: ") + sql.query.simplified();
    if (isS3())
        return path;
    return QFileInfo(path).fileName();
}

QString RowError::describe() const
{
    QString where = file.isEmpty() ? QStringLiteral("(dataset)") : file;
    if (pos.row > 0)
        where += QStringLiteral(" row %1").arg(pos.row);
    else if (pos.row == 0 && (rule == u"duplicate_header" || rule == u"no_rows"))
        where += QStringLiteral(" header");
    if (pos.line > 0 && pos.line != pos.row)
        where += QStringLiteral(" (line %1)").arg(pos.line);
    if (!field.isEmpty())
        where += QStringLiteral(", field '%1'").arg(field);
    return where + QStringLiteral(": ") + message;
}

namespace detail {

TextReader::TextReader(OpenedSource source, const DatasetSpec &spec)
    : m_in(std::move(source.in))
    , m_name(source.name)
    , m_encoding(source.encoding)
    , m_compressed(source.compressed)
    , m_converted(source.converted)
    , m_maxRow(spec.maxRowBytes > 0 ? spec.maxRowBytes : DatasetSpec().maxRowBytes)
    , m_bomEnd(source.bomBytes)
{ }

qint64 TextReader::bytesRead() const
{
    if (m_compressed || m_converted)
        return m_in->source().rawPos();
    return m_in->pos();
}

bool TextReader::setFollow(bool on)
{
    if (on && (m_compressed || m_converted || format() == DatasetFormat::JsonArray))
        return false;
    m_follow = on;
    m_in->setFollow(on);
    return true;
}

QVariantMap TextReader::details() const
{
    QVariantMap d;
    d.insert(QStringLiteral("encoding"), m_encoding);
    d.insert(QStringLiteral("compressed"), m_compressed);
    return d;
}

void TextReader::setError(RowError &error, const SourcePos &pos, const QString &rule,
                          const QString &message, QByteArrayView raw, const QString &field) const
{
    error.pos = pos;
    error.file = m_name;
    error.field = field;
    error.rule = rule;
    error.message = message;
    error.raw = raw.first(std::min(raw.size(), kMaxRawBytes)).toByteArray();
    error.value.clear();
}

ReadStatus TextReader::sourceFailed(RowError &error, const SourcePos &pos) const
{
    // The source's message already names the file.
    setError(error, pos, QStringLiteral("io"), m_in->errorString());
    QString message = m_in->errorString();
    if (message.startsWith(m_name + u':'))
        message = message.mid(m_name.size() + 1).trimmed();
    error.message = message + QStringLiteral(" (while reading row %1)").arg(pos.row);
    return ReadStatus::Fatal;
}

qint64 countByte(const char *p, qsizetype n, char c)
{
    qint64 count = 0;
    const char *end = p + n;
    while (p < end) {
        const auto *hit = static_cast<const char *>(std::memchr(p, c, size_t(end - p)));
        if (!hit)
            break;
        ++count;
        p = hit + 1;
    }
    return count;
}

void compactJson(QByteArrayView in, QByteArray &out)
{
    const qsizetype start = out.size();
    out.resize(start + in.size());
    char *d = out.data() + start;
    const char *s = in.data();
    const char *e = s + in.size();
    bool inString = false;
    while (s < e) {
        const char c = *s++;
        if (inString) {
            *d++ = c;
            if (c == '\\' && s < e)
                *d++ = *s++;
            else if (c == '"')
                inString = false;
        } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            continue;
        } else {
            if (c == '"')
                inString = true;
            *d++ = c;
        }
    }
    out.resize(d - out.constData());
}

} // namespace detail

namespace {

constexpr qsizetype kHeadBytes = 64 * 1024;

QByteArray readHead(ByteSource &source, qsizetype max, bool *failed)
{
    QByteArray head(max, Qt::Uninitialized);
    qsizetype got = 0;
    while (got < max) {
        const qint64 n = source.read(head.data() + got, max - got);
        if (n < 0) {
            *failed = true;
            break;
        }
        if (n == 0)
            break;
        got += n;
    }
    head.resize(got);
    return head;
}

bool looksLikeUtf16WithoutBom(QByteArrayView head, bool *bigEndian)
{
    const qsizetype n = std::min<qsizetype>(head.size(), 4096) & ~qsizetype(1);
    if (n < 4)
        return false;
    qsizetype evenZero = 0, oddZero = 0;
    for (qsizetype i = 0; i < n; i += 2) {
        evenZero += head[i] == 0 ? 1 : 0;
        oddZero += head[i + 1] == 0 ? 1 : 0;
    }
    const qsizetype pairs = n / 2;
    if (oddZero * 10 >= pairs * 6 && evenZero * 10 < pairs) {
        *bigEndian = false;
        return true;
    }
    if (evenZero * 10 >= pairs * 6 && oddZero * 10 < pairs) {
        *bigEndian = true;
        return true;
    }
    return false;
}

bool looksBinary(QByteArrayView head)
{
    const qsizetype n = std::min<qsizetype>(head.size(), 8192);
    qsizetype control = 0;
    qsizetype high = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(head[i]);
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F)
            ++control;
        else if (c >= 0x80)
            ++high;
    }
    if (n == 0)
        return false;
    if (control * 10 > n)
        return true;
    // Mostly non-ASCII bytes that are not UTF-8, with control bytes among them: not text.
    // (The sample is cut back to a character boundary first.)
    qsizetype end = n;
    while (end > 0 && end > n - 4 && (static_cast<unsigned char>(head[end - 1]) & 0xC0) == 0x80)
        --end;
    if (end > 0 && static_cast<unsigned char>(head[end - 1]) >= 0xC0)
        --end;
    return control > 0 && high * 10 > n * 3 && !json::isValidUtf8(head.first(end));
}

QString stripGz(const QString &path)
{
    return path.endsWith(u".gz", Qt::CaseInsensitive) ? path.chopped(3) : path;
}

std::unique_ptr<RecordReader> openSource(std::unique_ptr<ByteSource> raw, const DatasetSpec &spec,
                                         const QString &name, QString *error)
{
    bool failed = false;
    QByteArray head = readHead(*raw, kHeadBytes, &failed);
    if (failed) {
        *error = raw->errorString();
        return nullptr;
    }
    if (head.isEmpty()) {
        *error = QStringLiteral("%1: the file is empty").arg(name);
        return nullptr;
    }
    OpenedSource src;
    src.name = name;
    std::unique_ptr<ByteSource> source = prefixSource(head, std::move(raw));
    if (head.size() >= 2 && uchar(head[0]) == 0x1F && uchar(head[1]) == 0x8B) {
        src.compressed = true;
        source = gzipSource(std::move(source), name);
        head = readHead(*source, kHeadBytes, &failed);
        if (failed) {
            *error = source->errorString();
            return nullptr;
        }
        if (head.isEmpty()) {
            *error = QStringLiteral("%1: the file is empty (after decompression)").arg(name);
            return nullptr;
        }
        source = prefixSource(head, std::move(source));
    }
    src.encoding = QStringLiteral("UTF-8");
    bool bigEndian = false;
    if (head.startsWith("\xEF\xBB\xBF")) {
        src.encoding = QStringLiteral("UTF-8 with BOM");
        src.bomBytes = 3;
    } else if (head.startsWith("\xFF\xFE") || head.startsWith("\xFE\xFF")) {
        bigEndian = uchar(head[0]) == 0xFE;
        src.encoding = bigEndian ? QStringLiteral("UTF-16BE") : QStringLiteral("UTF-16LE");
        src.converted = true;
        source = utf16Source(std::move(source), bigEndian, name);
        head = readHead(*source, kHeadBytes, &failed);
        if (failed) {
            *error = source->errorString();
            return nullptr;
        }
        source = prefixSource(head, std::move(source));
    } else if (looksLikeUtf16WithoutBom(head, &bigEndian)) {
        *error = QStringLiteral("%1: looks like UTF-16%2 text without a byte order mark; save it "
                                "as UTF-8 (or UTF-16 with a BOM)")
                     .arg(name, bigEndian ? QStringLiteral("BE") : QStringLiteral("LE"));
        return nullptr;
    }
    if (looksBinary(head)) {
        *error = QStringLiteral("%1: not a text file (binary data in the first bytes)").arg(name);
        return nullptr;
    }
    DatasetFormat format = spec.format;
    if (format == DatasetFormat::Auto || format == DatasetFormat::Sql)
        format = sniffFormat(spec.path, QByteArrayView(head).sliced(src.bomBytes));
    if (format == DatasetFormat::Auto)
        format = DatasetFormat::Csv;
    src.in = std::make_unique<InputBuffer>(std::move(source));
    switch (format) {
    case DatasetFormat::JsonLines: return detail::makeJsonLinesReader(std::move(src), spec, error);
    case DatasetFormat::JsonArray: return detail::makeJsonArrayReader(std::move(src), spec, error);
    default: return detail::makeCsvReader(std::move(src), spec, error);
    }
}

std::unique_ptr<RecordReader> openS3Dataset(const DatasetSpec &spec, const QString &secret,
                                            QString *error)
{
    const auto url = s3::ObjectUrl::parse(spec.path, error);
    if (!url)
        return nullptr;
    const s3::Access access = s3::resolve(spec.s3, secret);
    if (url->isPrefix())
        return detail::makeObjectFolderReader(*url, access, spec, error);
    auto raw = s3::openObjectSource(*url, access, error);
    if (!raw)
        return nullptr;
    return openSource(std::move(raw), spec, url->toString(), error);
}

} // namespace

std::unique_ptr<RecordReader> detail::openByteSource(std::unique_ptr<ByteSource> raw,
                                                     const DatasetSpec &spec, const QString &name,
                                                     QString *error)
{
    return openSource(std::move(raw), spec, name, error);
}

DatasetFormat sniffFormat(const QString &path, QByteArrayView head)
{
    const QString suffix = QFileInfo(stripGz(path)).suffix().toLower();
    qsizetype i = 0;
    if (head.startsWith("\xEF\xBB\xBF"))
        i = 3;
    while (i < head.size()
           && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        ++i;
    const char first = i < head.size() ? head[i] : '\0';
    if (suffix == u"jsonl" || suffix == u"ndjson")
        return DatasetFormat::JsonLines;
    if (suffix == u"csv" || suffix == u"tsv" || suffix == u"psv")
        return DatasetFormat::Csv;
    if (suffix == u"json")
        return first == '{' ? DatasetFormat::JsonLines : DatasetFormat::JsonArray;
    if (first == '[')
        return DatasetFormat::JsonArray;
    if (first == '{')
        return DatasetFormat::JsonLines;
    return head.isEmpty() ? DatasetFormat::Auto : DatasetFormat::Csv;
}

std::unique_ptr<RecordReader> openDataset(const DatasetSpec &spec, QString *error,
                                          const QString &sqlPassword)
{
    QString dummy;
    if (!error)
        error = &dummy;
    if (spec.format == DatasetFormat::Sql || (spec.path.isEmpty() && !spec.sql.query.isEmpty()))
        return detail::makeSqlReader(spec, sqlPassword, error);
    if (spec.path.isEmpty()) {
        *error = QStringLiteral("no dataset file given");
        return nullptr;
    }
    if (spec.isS3())
        return openS3Dataset(spec, sqlPassword, error);
    const QString name = QFileInfo(spec.path).fileName();
    auto raw = openFileSource(spec.path, name, error);
    if (!raw)
        return nullptr;
    return openSource(std::move(raw), spec, name, error);
}

std::unique_ptr<RecordReader> openSqlAfter(const DatasetSpec &spec, const QVariant &after,
                                           QString *error, const QString &sqlPassword)
{
    QString dummy;
    if (!error)
        error = &dummy;
    return detail::makeSqlReader(spec, sqlPassword, error, &after);
}

std::unique_ptr<RecordReader> openDatasetBytes(const QByteArray &data, const DatasetSpec &spec,
                                               QString *error)
{
    QString dummy;
    if (!error)
        error = &dummy;
    const QString name
        = spec.path.isEmpty() ? QStringLiteral("(memory)") : QFileInfo(spec.path).fileName();
    return openSource(memorySource(data), spec, name, error);
}

} // namespace syncdesk
