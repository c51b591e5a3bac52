#include "json.h"

#include "bytes.h"

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace syncdesk::json {

namespace {

constexpr char kHex[] = "0123456789abcdef";

// 0: copy as is; 1: needs an escape.
constexpr auto makeEscapeTable()
{
    std::array<quint8, 256> t{};
    for (int c = 0; c < 0x20; ++c)
        t[c] = 1;
    t[static_cast<unsigned char>('"')] = 1;
    t[static_cast<unsigned char>('\\')] = 1;
    return t;
}
constexpr auto kNeedsEscape = makeEscapeTable();

void appendEscaped(QByteArray &out, const char *p, qsizetype n)
{
    const qsizetype start = out.size();
    out.resize(start + n * 6 + 2); // worst case, trimmed below
    char *d = out.data() + start;
    *d++ = '"';
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(p[i]);
        if (!kNeedsEscape[c]) {
            *d++ = static_cast<char>(c);
            continue;
        }
        *d++ = '\\';
        switch (c) {
        case '"': *d++ = '"'; break;
        case '\\': *d++ = '\\'; break;
        case '\n': *d++ = 'n'; break;
        case '\r': *d++ = 'r'; break;
        case '\t': *d++ = 't'; break;
        case '\b': *d++ = 'b'; break;
        case '\f': *d++ = 'f'; break;
        default:
            *d++ = 'u';
            *d++ = '0';
            *d++ = '0';
            *d++ = kHex[c >> 4];
            *d++ = kHex[c & 15];
        }
    }
    *d++ = '"';
    out.resize(d - out.data());
}

class Scanner
{
public:
    explicit Scanner(QByteArrayView text)
        : m_p(text.data())
        , m_begin(text.data())
        , m_end(text.data() + text.size())
    { }

    ScanError error() const { return m_error; }
    // The top-level member whose array object() reads into `list` (scanObject(text, members,
    // list)).
    void readList(ObjectList *list) { m_list = list; }
    bool failed() const { return !m_error.ok(); }

    // The first byte at or after `p` that is not whitespace. Most calls find no whitespace at all
    // (compact JSON) or one space (after ':' and ',').
    static const char *skipWs(const char *p, const char *end)
    {
        if (p < end && quint8(*p) > quint8(' '))
            return p;
        if (end - p >= 2 && *p == ' ' && quint8(p[1]) > quint8(' '))
            return p + 1;
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
            ++p;
        return p;
    }
    void skipWs() { m_p = skipWs(m_p, m_end); }
    bool atEnd() const { return m_p >= m_end; }
    const char *pos() const { return m_p; }

    bool fail(const char *at, const char *msg)
    {
        if (m_error.ok()) {
            m_error.offset = at - m_begin;
            m_error.message = QString::fromLatin1(msg);
        }
        return false;
    }

    bool value(Type &type, int depth)
    {
        if (depth > 512)
            return fail(m_p, "nesting deeper than 512 levels");
        skipWs();
        return valueHere(type, depth);
    }

    // value() once the whitespace before it is skipped and the depth checked.
    bool valueHere(Type &type, int depth)
    {
        if (m_p >= m_end)
            return fail(m_p, "unexpected end of input, expected a value");
        switch (*m_p) {
        case '{': type = Type::Object; return object(nullptr, depth);
        case '[': type = Type::Array; return array(depth);
        case '"': type = Type::String; return string(nullptr);
        case 't': type = Type::Bool; return literal("true");
        case 'f': type = Type::Bool; return literal("false");
        case 'n': type = Type::Null; return literal("null");
        default: type = Type::Number; return number();
        }
    }

    // Works on a local copy of m_p, written back before each call that reads it and on failure:
    // a member's views are stored through pointers that may alias m_p, which would make the
    // compiler reload it after every member. Strings and numbers, nearly every value, are read
    // here; the rest goes through valueHere().
    bool object(std::vector<Member> *members, int depth)
    {
        const char *p = skipWs(m_p + 1, m_end); // after '{'
        const char *const end = m_end;
        if (p < end && *p == '}') {
            m_p = p + 1;
            return true;
        }
        for (;;) {
            p = skipWs(p, end);
            if (p >= end || *p != '"') {
                m_p = p;
                return fail(p,
                            p >= end ? "unexpected end of input inside an object"
                                     : "expected a quoted member name");
            }
            const char *keyStart = p + 1;
            bool keyHasEscapes = false;
            if (!stringAt(p, &keyHasEscapes))
                return false;
            const char *keyEnd = p - 1;
            p = skipWs(p, end);
            if (p >= end || *p != ':') {
                m_p = p;
                return fail(p, "expected ':' after a member name");
            }
            p = skipWs(p + 1, end);
            const char *valueStart = p;
            // value() would only skip the whitespace again; the depth check stays the same.
            if (depth + 1 > 512) {
                m_p = p;
                return fail(p, "nesting deeper than 512 levels");
            }
            Type type = Type::Null;
            const bool listHere = Q_UNLIKELY(m_list != nullptr) && depth == 0
                && isListKey(QByteArrayView(keyStart, keyEnd - keyStart), keyHasEscapes);
            if (p < end && *p == '"') {
                type = Type::String;
                if (!stringAt(p, nullptr))
                    return false;
            } else if (listHere && p < end && *p == '[') {
                type = Type::Array;
                m_p = p;
                m_list->read = true;
                if (!objects(m_list->members, m_list->counts, depth + 2)) // as array() would
                    return false;
                p = m_p;
            } else {
                m_p = p;
                if (!valueHere(type, depth + 1))
                    return false;
                p = m_p;
            }
            if (members) {
                // Filled in place: a Member built on the stack and copied costs a store-forwarding
                // stall per member (its views are written in halves and read back whole).
                Member &m = members->emplace_back();
                m.rawKey = QByteArrayView(keyStart, keyEnd - keyStart);
                m.rawValue = QByteArrayView(valueStart, p - valueStart);
                m.type = type;
                m.keyHasEscapes = keyHasEscapes;
            }
            p = skipWs(p, end);
            if (p >= end) {
                m_p = p;
                return fail(p, "unexpected end of input inside an object");
            }
            if (*p == ',') {
                ++p;
                continue;
            }
            if (*p == '}') {
                m_p = p + 1;
                return true;
            }
            m_p = p;
            return fail(p, "expected ',' or '}' in an object");
        }
    }

    // An array's frame: `element` reads each element (at m_p, after its whitespace) and says
    // whether it was well formed.
    template<class Element> bool arrayOf(Element &&element)
    {
        ++m_p; // '['
        skipWs();
        if (m_p < m_end && *m_p == ']') {
            ++m_p;
            return true;
        }
        for (;;) {
            skipWs();
            if (!element())
                return false;
            skipWs();
            if (m_p >= m_end)
                return fail(m_p, "unexpected end of input inside an array");
            if (*m_p == ',') {
                ++m_p;
                continue;
            }
            if (*m_p == ']') {
                ++m_p;
                return true;
            }
            return fail(m_p, "expected ',' or ']' in an array");
        }
    }

    bool array(int depth, std::vector<QByteArrayView> *elements = nullptr)
    {
        return arrayOf([&] {
            Type t;
            const char *start = m_p;
            if (!value(t, depth + 1))
                return false;
            if (elements)
                elements->push_back(QByteArrayView(start, m_p - start));
            return true;
        });
    }

    // array() for an array whose elements are all objects: their members go to `members`, their
    // counts to `counts`. The elements are at nesting level `depth`.
    bool objects(std::vector<Member> &members, std::vector<int> &counts, int depth)
    {
        return arrayOf([&] {
            if (m_p >= m_end || *m_p != '{')
                return fail(m_p,
                            m_p >= m_end ? "unexpected end of input inside an array"
                                         : "expected an object in the array");
            const size_t before = members.size();
            if (!object(&members, depth))
                return false;
            counts.push_back(int(members.size() - before));
            return true;
        });
    }

    // The first byte in [p, end) that a string cannot take as is: '"', '\\', a control byte
    // (< 0x20) or a non-ASCII byte (>= 0x80); `end` when there is none. Never reads past `end`.
    static const char *findSpecial(const char *p, const char *end)
    {
#if defined(__SSE2__)
        // Sixteen bytes at a time. As signed bytes, both < 0x20 and >= 0x80 compare below 0x20.
        const __m128i quote = _mm_set1_epi8('"');
        const __m128i slash = _mm_set1_epi8('\\');
        const __m128i space = _mm_set1_epi8(0x20);
        while (end - p >= 16) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
            const __m128i hit
                = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, slash)),
                               _mm_cmplt_epi8(v, space));
            const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
            if (mask)
                return p + std::countr_zero(mask);
            p += 16;
        }
#endif
        // Eight bytes at a time (SWAR: a byte is flagged when it is < 0x20, '"', '\\' or >= 0x80).
        // A borrow only starts at a flagged byte, so the lowest flag is exact.
        while (end - p >= 8) {
            quint64 w;
            std::memcpy(&w, p, 8);
            constexpr quint64 ones = 0x0101010101010101ULL;
            constexpr quint64 highs = 0x8080808080808080ULL;
            const quint64 quote = w ^ (ones * '"');
            const quint64 slash = w ^ (ones * '\\');
            const quint64 flagged
                = ((w - ones * 0x20) | (quote - ones) | (slash - ones) | w) & highs;
            if (flagged) {
                if constexpr (std::endian::native == std::endian::little)
                    return p + (std::countr_zero(flagged) >> 3);
                break;
            }
            p += 8;
        }
        while (p < end) {
            const auto c = static_cast<unsigned char>(*p);
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80)
                break;
            ++p;
        }
        return p;
    }

    // Most strings have no escape and no non-ASCII byte: the quote closing them is the first
    // special byte. That case stays inline; the rest goes to stringSlow().
    bool string(bool *hasEscapes)
    {
        const char *p = m_p;
        if (!stringAt(p, hasEscapes))
            return false;
        m_p = p;
        return true;
    }

    // string() on a local position: `p` at the opening quote, moved past the closing one. On
    // failure m_p is where it failed.
    bool stringAt(const char *&p, bool *hasEscapes)
    {
        const char *start = p;
        const char *q = findSpecial(p + 1, m_end);
        if (q < m_end && *q == '"') {
            p = q + 1;
            return true;
        }
        m_p = q;
        if (!stringSlow(start, hasEscapes))
            return false;
        p = m_p;
        return true;
    }

    // string() from the first special byte (or the end) on; `start` is the opening quote.
    Q_NEVER_INLINE bool stringSlow(const char *start, bool *hasEscapes)
    {
        for (;;) {
            if (m_p >= m_end)
                return fail(start, "unterminated string");
            const auto c = static_cast<unsigned char>(*m_p);
            if (c == '"') {
                ++m_p;
                return true;
            }
            if (c < 0x20)
                return fail(m_p, "control character inside a string (must be escaped)");
            if (c == '\\') {
                if (hasEscapes)
                    *hasEscapes = true;
                if (!escape())
                    return false;
            } else if (!utf8Sequence()) {
                return false;
            }
            m_p = findSpecial(m_p, m_end);
        }
    }

    bool escape()
    {
        ++m_p; // backslash
        if (m_p >= m_end)
            return fail(m_p, "unterminated escape");
        switch (*m_p) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't': ++m_p; return true;
        case 'u': {
            const unsigned cp = hex4(m_p + 1);
            if (cp > 0xFFFF)
                return fail(m_p, "bad \\u escape");
            m_p += 5;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (m_end - m_p < 6 || m_p[0] != '\\' || m_p[1] != 'u')
                    return fail(m_p, "unpaired surrogate in \\u escape");
                const unsigned lo = hex4(m_p + 2);
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return fail(m_p, "unpaired surrogate in \\u escape");
                m_p += 6;
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return fail(m_p, "unpaired surrogate in \\u escape");
            }
            return true;
        }
        default: return fail(m_p, "invalid escape character");
        }
    }

    unsigned hex4(const char *p) const
    {
        if (m_end - p < 4)
            return 0x10000;
        unsigned v = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = p[i];
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= unsigned(c - '0');
            else if (c >= 'a' && c <= 'f')
                v |= unsigned(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                v |= unsigned(c - 'A' + 10);
            else
                return 0x10000;
        }
        return v;
    }

    bool utf8Sequence()
    {
        const auto *u = reinterpret_cast<const unsigned char *>(m_p);
        const qsizetype left = m_end - m_p;
        const unsigned c = u[0];
        int n;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            cp = c & 0x07;
        } else {
            return fail(m_p, "invalid UTF-8");
        }
        if (left < n)
            return fail(m_p, "truncated UTF-8 sequence");
        for (int i = 1; i < n; ++i) {
            if ((u[i] & 0xC0) != 0x80)
                return fail(m_p, "invalid UTF-8");
            cp = (cp << 6) | (u[i] & 0x3F);
        }
        if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)))
            || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return fail(m_p, "invalid UTF-8");
        m_p += n;
        return true;
    }

    bool literal(const char *word)
    {
        const auto n = static_cast<qsizetype>(std::strlen(word));
        if (m_end - m_p < n || std::memcmp(m_p, word, size_t(n)) != 0) {
            if (*m_p == 'N' || *m_p == 'I')
                return fail(m_p, "NaN and Infinity are not JSON");
            return fail(m_p, "invalid literal");
        }
        m_p += n;
        return true;
    }

    // The first byte in [p, end) that is not a digit; `end` when there is none.
    static const char *skipDigits(const char *p, const char *end)
    {
        // Eight bytes at a time (SWAR): a byte is a digit when its high nibble is 3 and adding
        // 6 leaves it there (0x30-0x39; 0x3A-0x3F carry into the high nibble).
        while (end - p >= 8) {
            quint64 w;
            std::memcpy(&w, p, 8);
            constexpr quint64 highNibbles = 0xF0F0F0F0F0F0F0F0ULL;
            constexpr quint64 threes = 0x3030303030303030ULL;
            const quint64 notDigit = ((w & highNibbles) ^ threes)
                | (((w + 0x0606060606060606ULL) & highNibbles) ^ threes);
            if (notDigit) {
                if constexpr (std::endian::native == std::endian::little)
                    return p + (std::countr_zero(notDigit) >> 3);
                break;
            }
            p += 8;
        }
        while (p < end && *p >= '0' && *p <= '9')
            ++p;
        return p;
    }

    // Works on a local copy of m_p: a char read may alias the member, which would make the
    // compiler store m_p back on every digit.
    bool number()
    {
        const char *start = m_p;
        const char *p = m_p;
        const char *const end = m_end;
        const auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
        if (p < end && *p == '-')
            ++p;
        if (p >= end)
            return fail(start, "invalid number");
        if (*p == 'N' || *p == 'I')
            return fail(start, "NaN and Infinity are not JSON");
        if (*p == '0') {
            ++p;
        } else if (*p >= '1' && *p <= '9') {
            p = skipDigits(p + 1, end);
        } else {
            return fail(start, "unexpected character, expected a value");
        }
        if (p < end && *p == '.') {
            ++p;
            if (p >= end || !isDigit(*p))
                return fail(start, "invalid number: digits expected after '.'");
            p = skipDigits(p + 1, end);
        }
        if (p < end && (*p == 'e' || *p == 'E')) {
            ++p;
            if (p < end && (*p == '+' || *p == '-'))
                ++p;
            if (p >= end || !isDigit(*p))
                return fail(start, "invalid number: digits expected in exponent");
            p = skipDigits(p + 1, end);
        }
        m_p = p;
        return true;
    }

private:
    // Whether a top-level member's key is the first one named m_list->key.
    bool isListKey(QByteArrayView rawKey, bool hasEscapes)
    {
        if (m_list->seen || !Member{rawKey, {}, Type::Null, hasEscapes}.hasKey(m_list->key))
            return false;
        m_list->seen = true;
        return true;
    }

    ObjectList *m_list = nullptr; // scanObject(text, members, list) only
    const char *m_p;
    const char *m_begin;
    const char *m_end;
    ScanError m_error;
};

// `text` as exactly one JSON array (whitespace around allowed), read by `read` from its '['.
template<class Read> ScanError scanWholeArray(QByteArrayView text, Read &&read)
{
    Scanner s(text);
    s.skipWs();
    if (s.atEnd() || *s.pos() != '[') {
        s.fail(s.pos(), "expected a JSON array ('[')");
        return s.error();
    }
    if (!read(s))
        return s.error();
    s.skipWs();
    if (!s.atEnd())
        s.fail(s.pos(), "unexpected data after the JSON array");
    return s.error();
}

void appendUtf8(QByteArray &out, unsigned cp)
{
    if (cp < 0x80) {
        out.append(char(cp));
    } else if (cp < 0x800) {
        out.append(char(0xC0 | (cp >> 6)));
        out.append(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.append(char(0xE0 | (cp >> 12)));
        out.append(char(0x80 | ((cp >> 6) & 0x3F)));
        out.append(char(0x80 | (cp & 0x3F)));
    } else {
        out.append(char(0xF0 | (cp >> 18)));
        out.append(char(0x80 | ((cp >> 12) & 0x3F)));
        out.append(char(0x80 | ((cp >> 6) & 0x3F)));
        out.append(char(0x80 | (cp & 0x3F)));
    }
}

unsigned parseHex4(const char *p)
{
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
        const char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= unsigned(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= unsigned(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= unsigned(c - 'A' + 10);
    }
    return v;
}

} // namespace

void appendString(QByteArray &out, QByteArrayView s)
{
    appendEscaped(out, s.data(), s.size());
}

void appendString(QByteArray &out, const QString &s)
{
    const QByteArray utf8 = s.toUtf8();
    appendEscaped(out, utf8.constData(), utf8.size());
}

void appendInt(QByteArray &out, qint64 v)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    bytes::append(out, QByteArrayView(buf, r.ptr - buf));
}

void appendDouble(QByteArray &out, double v)
{
    if (!std::isfinite(v)) {
        out.append("null");
        return;
    }
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    bytes::append(out, QByteArrayView(buf, r.ptr - buf));
}

bool isValidUtf8(QByteArrayView s)
{
    const auto *u = reinterpret_cast<const unsigned char *>(s.data());
    const qsizetype n = s.size();
    qsizetype i = 0;
    while (i < n) {
        // Skip ASCII eight bytes at a time.
        while (i + 8 <= n) {
            quint64 w;
            std::memcpy(&w, u + i, 8);
            if (w & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        const unsigned c = u[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int len;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i < len)
            return false;
        for (int k = 1; k < len; ++k) {
            if ((u[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (u[i + k] & 0x3F);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)))
            || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        i += len;
    }
    return true;
}

bool Member::escapedKeyIs(QByteArrayView name) const
{
    return key() == name;
}

QByteArray Member::key() const
{
    if (!keyHasEscapes)
        return rawKey.toByteArray();
    QByteArray quoted;
    quoted.reserve(rawKey.size() + 2);
    quoted.append('"').append(rawKey).append('"');
    return unescapeString(quoted);
}

namespace {

// The scanner's text as exactly one JSON object, whitespace around allowed.
ScanError scanWholeObject(Scanner &s, std::vector<Member> &members)
{
    s.skipWs();
    if (s.atEnd() || *s.pos() != '{') {
        s.fail(s.pos(),
               s.atEnd() ? "empty input, expected a JSON object" : "expected a JSON object ('{')");
        return s.error();
    }
    if (!s.object(&members, 0))
        return s.error();
    s.skipWs();
    if (!s.atEnd())
        s.fail(s.pos(), "unexpected data after the JSON object");
    return s.error();
}

} // namespace

ScanError scanObject(QByteArrayView text, std::vector<Member> &members)
{
    members.clear();
    if (members.capacity() < 8)
        members.reserve(8); // one allocation instead of four for a typical row
    Scanner s(text);
    return scanWholeObject(s, members);
}

ScanError scanObject(QByteArrayView text, std::vector<Member> &members, ObjectList &list)
{
    members.clear();
    list.members.clear();
    list.counts.clear();
    list.seen = list.read = false;
    Scanner s(text);
    s.readList(&list);
    return scanWholeObject(s, members);
}

ScanError scanArray(QByteArrayView text, std::vector<QByteArrayView> &elements)
{
    elements.clear();
    return scanWholeArray(text, [&](Scanner &s) { return s.array(0, &elements); });
}

ScanError scanObjects(QByteArrayView text, std::vector<Member> &members, std::vector<int> &counts)
{
    members.clear();
    counts.clear();
    return scanWholeArray(text, [&](Scanner &s) { return s.objects(members, counts, 1); });
}

const Member *findMember(const Member *begin, const Member *end, QByteArrayView key)
{
    for (const Member *m = begin; m != end; ++m)
        if (m->hasKey(key))
            return m;
    return nullptr;
}

const Member *findMember(const std::vector<Member> &members, QByteArrayView key)
{
    return findMember(members.data(), members.data() + members.size(), key);
}

ScanError validate(QByteArrayView text, Type *type)
{
    Scanner s(text);
    Type t = Type::Null;
    if (!s.value(t, 0))
        return s.error();
    s.skipWs();
    if (!s.atEnd())
        s.fail(s.pos(), "unexpected data after the JSON value");
    if (type)
        *type = t;
    return s.error();
}

QByteArray unescapeString(QByteArrayView literal)
{
    QByteArray out;
    if (literal.size() < 2)
        return out;
    const char *p = literal.data() + 1;
    const char *end = literal.data() + literal.size() - 1;
    out.reserve(end - p);
    while (p < end) {
        if (*p != '\\') {
            out.append(*p++);
            continue;
        }
        ++p;
        if (p >= end)
            break;
        const char c = *p++;
        switch (c) {
        case 'b': out.append('\b'); break;
        case 'f': out.append('\f'); break;
        case 'n': out.append('\n'); break;
        case 'r': out.append('\r'); break;
        case 't': out.append('\t'); break;
        case 'u': {
            if (end - p < 4)
                return out;
            unsigned cp = parseHex4(p);
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
                const unsigned lo = parseHex4(p + 2);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            }
            appendUtf8(out, cp);
            break;
        }
        default: out.append(c);
        }
    }
    return out;
}

} // namespace syncdesk::json
