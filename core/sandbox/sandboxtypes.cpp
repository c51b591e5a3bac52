#include "sandboxtypes.h"

#include "util/mix64.h"

#include <QDateTime>
#include <QHash>
#include <QUuid>

#include <chrono>
#include <cstring>

#include <zlib.h>

namespace syncdesk::sandbox {

QByteArray Request::header(QByteArrayView name) const
{
    for (const auto &h : headers)
        if (QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

bool Request::hasHeader(QByteArrayView name) const
{
    for (const auto &h : headers)
        if (QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

namespace {

bool findQuery(QByteArrayView query, QByteArrayView key, QByteArray *value)
{
    qsizetype pos = 0;
    while (pos <= query.size()) {
        qsizetype end = query.indexOf('&', pos);
        if (end < 0)
            end = query.size();
        const QByteArrayView item = query.sliced(pos, end - pos);
        const qsizetype eq = item.indexOf('=');
        const QByteArrayView k = eq < 0 ? item : item.first(eq);
        if (percentDecode(k) == key) {
            if (value)
                *value = eq < 0 ? QByteArray() : percentDecode(item.sliced(eq + 1));
            return true;
        }
        pos = end + 1;
    }
    return false;
}

} // namespace

QByteArray Request::queryValue(QByteArrayView key) const
{
    QByteArray v;
    findQuery(query, key, &v);
    return v;
}

bool Request::hasQueryValue(QByteArrayView key) const
{
    return findQuery(query, key, nullptr);
}

namespace js {

void splitArray(QByteArrayView array, std::vector<QByteArrayView> &elements)
{
    elements.clear();
    const char *p = array.data();
    const char *end = p + array.size();
    auto isWs = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (p < end && *p != '[')
        ++p;
    if (p == end)
        return;
    ++p;
    while (p < end) {
        while (p < end && isWs(*p))
            ++p;
        if (p == end || *p == ']')
            return;
        const char *start = p;
        int depth = 0;
        while (p < end) {
            const char c = *p;
            if (c == '"') {
                // Long strings (base64 payloads) dominate: jump from quote to quote.
                ++p;
                for (;;) {
                    const auto *q = static_cast<const char *>(std::memchr(p, '"', size_t(end - p)));
                    if (!q) {
                        p = end;
                        break;
                    }
                    const char *b = q;
                    while (b > p && b[-1] == '\\')
                        --b;
                    p = q + 1;
                    if ((q - b) % 2 == 0)
                        break;
                }
                continue;
            }
            if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (depth == 0)
                    break;
                --depth;
            } else if (c == ',' && depth == 0) {
                break;
            }
            ++p;
        }
        const char *stop = p;
        while (stop > start && isWs(stop[-1]))
            --stop;
        elements.emplace_back(start, stop - start);
        if (p < end && *p == ',')
            ++p;
    }
}

QByteArray string(const json::Member *m, bool *ok)
{
    const bool isString = m && m->type == json::Type::String;
    if (ok)
        *ok = isString;
    if (!isString)
        return {};
    const QByteArrayView raw = m->rawValue;
    if (!raw.contains('\\'))
        return raw.sliced(1, raw.size() - 2).toByteArray();
    return json::unescapeString(raw);
}

bool isInteger(QByteArrayView number)
{
    for (const char c : number)
        if (c == '.' || c == 'e' || c == 'E')
            return false;
    return !number.isEmpty();
}

QByteArray object(std::initializer_list<std::pair<const char *, QByteArray>> stringMembers)
{
    QByteArray out = "{";
    bool first = true;
    for (const auto &[k, v] : stringMembers) {
        if (!first)
            out += ',';
        first = false;
        json::appendString(out, QByteArrayView(k));
        out += ':';
        json::appendString(out, QByteArrayView(v));
    }
    out += '}';
    return out;
}

} // namespace js

QByteArray percentDecode(QByteArrayView s)
{
    if (!s.contains('%') && !s.contains('+'))
        return s.toByteArray();
    QByteArray plus = s.toByteArray();
    plus.replace('+', ' ');
    return QByteArray::fromPercentEncoding(plus);
}

QByteArray newRequestId()
{
    return QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

qint64 steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

bool gunzip(QByteArrayView in, QByteArray &out, qsizetype limit)
{
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 32) != Z_OK)
        return false;
    out.clear();
    out.resize(qMax<qsizetype>(in.size() * 4, 4096));
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    int rc = Z_OK;
    qsizetype produced = 0;
    while (rc != Z_STREAM_END) {
        if (produced == out.size()) {
            if (out.size() >= limit) {
                inflateEnd(&zs);
                return false;
            }
            out.resize(qMin(out.size() * 2, limit + 1));
        }
        zs.next_out = reinterpret_cast<Bytef *>(out.data() + produced);
        zs.avail_out = static_cast<uInt>(out.size() - produced);
        rc = inflate(&zs, Z_NO_FLUSH);
        produced = out.size() - zs.avail_out;
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&zs);
            return false;
        }
        if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
            inflateEnd(&zs);
            return false; // truncated stream
        }
    }
    inflateEnd(&zs);
    out.resize(produced);
    return produced <= limit;
}

qint64 contentHash(QByteArrayView data)
{
    // Not qHash: Qt mixes a per-process random seed into it (so a stored hash would not match
    // the same data after a restart), and its seeded AES variant collided about once per 70
    // processes over 2,000 short JSON records, which made distinct counts wrong. This is
    // SplitMix64's finaliser (a bijection with full avalanche) applied after each 8-byte word:
    // inputs that differ only in their last word never collide, others as random 64-bit values.
    quint64 h = mix64(0x9e3779b97f4a7c15ULL ^ quint64(data.size()));
    const char *p = data.data();
    qsizetype left = data.size();
    for (; left >= 8; p += 8, left -= 8) {
        quint64 w;
        std::memcpy(&w, p, 8);
        h = mix64(h ^ w);
    }
    if (left > 0) {
        quint64 w = 0;
        std::memcpy(&w, p, size_t(left));
        h = mix64(h ^ w ^ (quint64(left) << 56));
    }
    return static_cast<qint64>(h);
}

} // namespace syncdesk::sandbox
