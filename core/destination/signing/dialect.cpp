#include "destination/signing/dialect.h"

#include <algorithm>

namespace syncdesk::signing {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

QByteArrayView trimmed(QByteArrayView v)
{
    while (!v.isEmpty() && isSpace(v.front()))
        v = v.sliced(1);
    while (!v.isEmpty() && isSpace(v.back()))
        v.chop(1);
    return v;
}

// QByteArrayView::split is Qt 6.8+: splits `s` at every `sep` (views into s).
QList<QByteArrayView> splitView(QByteArrayView s, char sep)
{
    QList<QByteArrayView> parts;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= s.size(); ++i) {
        if (i == s.size() || s[i] == sep) {
            parts.append(s.sliced(start, i - start));
            start = i + 1;
        }
    }
    return parts;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Decodes %XX escapes; '+' becomes a space when plusIsSpace.
QByteArray percentDecode(QByteArrayView s, bool plusIsSpace)
{
    QByteArray out;
    out.reserve(s.size());
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '%' && i + 2 < s.size() && hexValue(s[i + 1]) >= 0 && hexValue(s[i + 2]) >= 0) {
            out.append(char(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2])));
            i += 2;
        } else {
            out.append(c == '+' && plusIsSpace ? ' ' : c);
        }
    }
    return out;
}

// Each k=v (a bare k becomes "k=") decoded, then re-encoded, sorted by key then value, '&'-joined.
QByteArray canonicalQuery(QByteArrayView rawQuery)
{
    QList<QPair<QByteArray, QByteArray>> pairs;
    for (QByteArrayView part : splitView(rawQuery, '&')) {
        if (part.isEmpty())
            continue;
        const qsizetype eq = part.indexOf('=');
        const QByteArrayView k = eq < 0 ? part : part.first(eq);
        const QByteArrayView v = eq < 0 ? QByteArrayView() : part.sliced(eq + 1);
        pairs.append(
            {uriEncode(percentDecode(k, true), false), uriEncode(percentDecode(v, true), false)});
    }
    std::sort(pairs.begin(), pairs.end());
    QByteArray out;
    for (const auto &p : pairs) {
        if (!out.isEmpty())
            out.append('&');
        out.append(p.first).append('=').append(p.second);
    }
    return out;
}

// Appends the value trimmed, with inner runs of spaces and tabs collapsed to one space.
void appendHeaderValue(QByteArray &out, QByteArrayView value)
{
    for (char c : trimmed(value)) {
        if (!isSpace(c))
            out.append(c);
        else if (out.back() != ' ')
            out.append(' ');
    }
}

// "k:v\n" for each name in `signedHeaders` (lowercase, in that order), duplicates joined with ','.
void appendCanonicalHeaders(QByteArray &out, const HttpHeaders &headers,
                            const QList<QByteArray> &signedHeaders)
{
    for (const QByteArray &name : signedHeaders) {
        out.append(name).append(':');
        bool first = true;
        for (const auto &h : headers) {
            if (QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) != 0)
                continue;
            if (!first)
                out.append(',');
            first = false;
            appendHeaderValue(out, h.second);
        }
        out.append('\n');
    }
}

// "ALGO Key1=v1, Key2=v2, ...": the algorithm and each key's value (empty when absent).
struct AuthorizationFields
{
    QByteArrayView algorithm;
    QList<QPair<QByteArrayView, QByteArrayView>> fields;
    QByteArrayView field(QByteArrayView name) const
    {
        for (const auto &f : fields)
            if (f.first == name)
                return f.second;
        return {};
    }
};

std::optional<AuthorizationFields> parseAuthorizationFields(QByteArrayView header)
{
    header = trimmed(header);
    const qsizetype space = header.indexOf(' ');
    if (space <= 0)
        return std::nullopt;
    AuthorizationFields result{header.first(space), {}};
    for (QByteArrayView part : splitView(header.sliced(space + 1), ',')) {
        part = trimmed(part);
        const qsizetype eq = part.indexOf('=');
        if (eq <= 0)
            return std::nullopt;
        result.fields.append({part.first(eq), part.sliced(eq + 1)});
    }
    return result;
}

QList<QByteArray> splitNames(QByteArrayView joined)
{
    QList<QByteArray> names;
    for (QByteArrayView n : splitView(joined, ';'))
        if (!n.isEmpty())
            names.append(n.toByteArray().toLower());
    return names;
}

// authority ("host[:port]") of an absolute URL, as the Host header carries it.
QByteArray urlAuthority(QByteArrayView url)
{
    const qsizetype scheme = url.indexOf("://");
    const qsizetype start = scheme < 0 ? 0 : scheme + 3;
    qsizetype end = start;
    while (end < url.size() && url[end] != '/' && url[end] != '?' && url[end] != '#')
        ++end;
    QByteArrayView authority = url.sliced(start, end - start);
    return authority.sliced(authority.lastIndexOf('@') + 1).toByteArray();
}

} // namespace

QByteArray Dialect::credentialScope(const Scope &scope) const
{
    return scope.date + '/' + scope.region + '/' + scope.service + '/' + terminator.toByteArray();
}

std::optional<Scope> Dialect::parseScope(QByteArrayView text) const
{
    const QList<QByteArrayView> parts = splitView(text, '/');
    if (parts.size() != 4 || parts[3] != terminator || parts[0].size() != 8)
        return std::nullopt;
    return Scope{parts[0].toByteArray(), parts[1].toByteArray(), parts[2].toByteArray()};
}

QList<QByteArray> Dialect::signedHeaderNames(const HttpHeaders &headers) const
{
    QList<QByteArray> names;
    for (const auto &h : headers)
        names.append(h.first.toLower());
    if (signsHeader)
        names.removeIf([this](const QByteArray &n) { return !signsHeader(n); });
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

QByteArray Dialect::canonicalRequest(const SignableRequest &request,
                                     const QList<QByteArray> &signedHeaders) const
{
    QByteArray out = request.method + '\n';
    out.append(uriEncode(percentDecode(request.path, false), true));
    if (out.back() != '/' && (uriEndsInSlash || request.path.isEmpty()))
        out.append('/');
    out.append('\n').append(canonicalQuery(request.query)).append('\n');
    appendCanonicalHeaders(out, request.headers, signedHeaders);
    out.append('\n').append(signedHeaders.join(';')).append('\n').append(request.payloadHash);
    return out;
}

QByteArray Dialect::stringToSign(QByteArrayView date, const Scope &scope,
                                 QByteArrayView canonicalRequest) const
{
    QByteArray out = algorithm.toByteArray();
    out.append('\n').append(date).append('\n');
    if (hasScope())
        out.append(credentialScope(scope)).append('\n');
    return out.append(sha256Hex(canonicalRequest));
}

QByteArray Dialect::signingKey(QByteArrayView secretKey, const Scope &scope) const
{
    if (!hasScope())
        return secretKey.toByteArray();
    const QByteArray kDate = hmacSha256(keyPrefix.toByteArray().append(secretKey), scope.date);
    const QByteArray kRegion = hmacSha256(kDate, scope.region);
    const QByteArray kService = hmacSha256(kRegion, scope.service);
    return hmacSha256(kService, terminator);
}

QByteArray signature(QByteArrayView signingKey, QByteArrayView stringToSign)
{
    return toHex(hmacSha256(signingKey, stringToSign));
}

QByteArray Dialect::authorization(QByteArrayView accessKeyId, const Scope &scope,
                                  const QList<QByteArray> &signedHeaders,
                                  QByteArrayView signature) const
{
    QByteArray out = algorithm.toByteArray();
    if (hasScope())
        out.append(" Credential=").append(accessKeyId).append('/').append(credentialScope(scope));
    else
        out.append(" Access=").append(accessKeyId);
    out.append(", SignedHeaders=").append(signedHeaders.join(';'));
    return out.append(", Signature=").append(signature);
}

std::optional<ParsedAuthorization> Dialect::parseAuthorization(QByteArrayView header) const
{
    const auto fields = parseAuthorizationFields(header);
    if (!fields || fields->algorithm != algorithm)
        return std::nullopt;
    ParsedAuthorization result;
    if (hasScope()) {
        const QByteArrayView credential = fields->field("Credential");
        const qsizetype slash = credential.indexOf('/');
        const auto scope = slash > 0 ? parseScope(credential.sliced(slash + 1)) : std::nullopt;
        if (!scope)
            return std::nullopt;
        result.accessKeyId = credential.first(slash).toByteArray();
        result.scope = *scope;
    } else {
        result.accessKeyId = fields->field("Access").toByteArray();
    }
    result.signedHeaders = splitNames(fields->field("SignedHeaders"));
    result.signature = fields->field("Signature").toByteArray();
    if (result.accessKeyId.isEmpty() || result.signedHeaders.isEmpty()
        || result.signature.isEmpty())
        return std::nullopt;
    return result;
}

void Dialect::sign(HttpRequest &request, const Credentials &credentials, QByteArrayView region,
                   QByteArrayView service, const QDateTime &now,
                   const QByteArray &payloadHash) const
{
    removeHeader(request.headers, "Authorization");
    const QByteArray hash = payloadHash.isEmpty() ? sha256Hex(request.body) : payloadHash;
    const QByteArray date = formatCompactDate(now);
    const bool hasHost
        = std::any_of(request.headers.cbegin(), request.headers.cend(), [](const auto &h) {
              return h.first.compare("host", Qt::CaseInsensitive) == 0;
          });
    if (!hasHost)
        request.headers.append({"Host", urlAuthority(request.url)});
    setHeader(request.headers, dateHeader.toByteArray(), date);
    if (!contentHashHeader.isEmpty())
        setHeader(request.headers, contentHashHeader.toByteArray(), hash);
    if (!credentials.sessionToken.isEmpty())
        setHeader(request.headers, tokenHeader.toByteArray(), credentials.sessionToken);

    const SignableRequest signable = SignableRequest::fromHttpRequest(request, hash);
    const QList<QByteArray> names = signedHeaderNames(request.headers);
    const Scope scope{date.first(8), region.toByteArray(), service.toByteArray()};
    const QByteArray sts = stringToSign(date, scope, canonicalRequest(signable, names));
    const QByteArray sig = signature(signingKey(credentials.secretKey, scope), sts);
    request.headers.append(
        {"Authorization", authorization(credentials.accessKeyId, scope, names, sig)});
}

VerifyError Dialect::verify(const SignableRequest &request, QByteArrayView expectedAccessKeyId,
                            QByteArrayView secretKey, QDateTime *requestTime, Scope *scopeOut) const
{
    const QByteArray header = request.header("Authorization");
    if (header.isEmpty())
        return VerifyError::MissingAuthorization;
    const auto auth = parseAuthorization(header);
    if (!auth)
        return VerifyError::MalformedAuthorization;
    if (scopeOut)
        *scopeOut = auth->scope;
    const QByteArray date = request.header(dateHeader);
    if (date.isEmpty())
        return VerifyError::MissingDate;
    const auto time = parseCompactDate(date);
    if (!time)
        return VerifyError::MalformedDate;
    if (requestTime)
        *requestTime = *time;
    if (auth->accessKeyId != expectedAccessKeyId)
        return VerifyError::UnknownAccessKey;
    if (hasScope() && auth->scope.date != date.first(8))
        return VerifyError::ScopeMismatch;
    const QByteArray contentHash
        = contentHashHeader.isEmpty() ? QByteArray() : request.header(contentHashHeader);
    if (!contentHash.isEmpty() && contentHash != request.payloadHash)
        return VerifyError::SignatureMismatch;
    const QByteArray sts
        = stringToSign(date, auth->scope, canonicalRequest(request, auth->signedHeaders));
    const QByteArray expected = signature(signingKey(secretKey, auth->scope), sts);
    return constantTimeEquals(expected, auth->signature) ? VerifyError::None
                                                         : VerifyError::SignatureMismatch;
}

} // namespace syncdesk::signing
