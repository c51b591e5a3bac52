#include "objectstore/s3config.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace syncdesk::s3 {

namespace {

using Section = QHash<QString, QString>;

// An AWS shared config or credentials file: [section] then key = value; an indented line after
// "s3 =" belongs to that sub-section and is stored as "s3.key".
QHash<QString, Section> readAwsIni(const QString &path)
{
    QHash<QString, Section> sections;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return sections;
    QString section;
    QString parent;
    while (!f.atEnd()) {
        const QString raw = QString::fromUtf8(f.readLine());
        const QString line = raw.trimmed();
        if (line.isEmpty() || line.startsWith(u'#') || line.startsWith(u';'))
            continue;
        if (line.startsWith(u'[') && line.endsWith(u']')) {
            section = line.mid(1, line.size() - 2).trimmed();
            parent.clear();
            continue;
        }
        const qsizetype eq = line.indexOf(u'=');
        if (eq <= 0)
            continue;
        const QString key = line.left(eq).trimmed().toLower();
        const QString value = line.mid(eq + 1).trimmed();
        const bool indented = raw.startsWith(u' ') || raw.startsWith(u'\t');
        if (indented && !parent.isEmpty()) {
            sections[section].insert(parent + u'.' + key, value);
            continue;
        }
        parent = value.isEmpty() ? key : QString();
        if (!value.isEmpty())
            sections[section].insert(key, value);
    }
    return sections;
}

QString homeFile(const char *variable, const char *fallback)
{
    const QString set = qEnvironmentVariable(variable);
    return set.isEmpty() ? QDir::homePath() + QLatin1String(fallback) : set;
}

struct Profile
{
    QString name;
    Section credentials; // from ~/.aws/credentials [name]
    Section config; // from ~/.aws/config [profile name] ([default] for default)
    QString value(const QString &key) const
    {
        const QString c = credentials.value(key);
        return c.isEmpty() ? config.value(key) : c;
    }
};

Profile loadProfile(const QString &wanted)
{
    Profile p;
    p.name = !wanted.isEmpty() ? wanted : qEnvironmentVariable("AWS_PROFILE");
    if (p.name.isEmpty())
        p.name = QStringLiteral("default");
    p.credentials
        = readAwsIni(homeFile("AWS_SHARED_CREDENTIALS_FILE", "/.aws/credentials")).value(p.name);
    const auto config = readAwsIni(homeFile("AWS_CONFIG_FILE", "/.aws/config"));
    p.config = config.value(p.name == u"default" ? p.name : QStringLiteral("profile ") + p.name);
    if (p.config.isEmpty())
        p.config = config.value(p.name);
    return p;
}

QString firstSet(std::initializer_list<QString> values)
{
    for (const QString &v : values)
        if (!v.isEmpty())
            return v;
    return {};
}

} // namespace

std::optional<ObjectUrl> ObjectUrl::parse(const QString &url, QString *error)
{
    if (!isS3(url)) {
        *error = QStringLiteral("%1: not an s3:// URL").arg(url);
        return std::nullopt;
    }
    const QString rest = url.mid(5);
    const qsizetype slash = rest.indexOf(u'/');
    ObjectUrl out;
    out.bucket = slash < 0 ? rest : rest.left(slash);
    out.key = slash < 0 ? QString() : rest.mid(slash + 1);
    if (out.bucket.isEmpty()) {
        *error = QStringLiteral("%1: no bucket in the URL (s3://BUCKET/KEY)").arg(url);
        return std::nullopt;
    }
    return out;
}

QVariantMap Options::toVariant() const
{
    QVariantMap m;
    if (!endpoint.isEmpty())
        m.insert(QStringLiteral("endpoint"), endpoint);
    if (!region.isEmpty())
        m.insert(QStringLiteral("region"), region);
    if (pathStyle)
        m.insert(QStringLiteral("pathStyle"), true);
    if (!profile.isEmpty())
        m.insert(QStringLiteral("profile"), profile);
    if (!connection.isEmpty())
        m.insert(QStringLiteral("connection"), connection);
    return m;
}

Options Options::fromVariant(const QVariantMap &map)
{
    Options o;
    o.endpoint = map.value(QStringLiteral("endpoint")).toString();
    o.region = map.value(QStringLiteral("region")).toString();
    o.pathStyle = map.value(QStringLiteral("pathStyle")).toBool();
    o.profile = map.value(QStringLiteral("profile")).toString();
    o.connection = map.value(QStringLiteral("connection")).toString();
    return o;
}

QString encodeSecret(const signing::Credentials &credentials)
{
    const QJsonObject o{
        {QStringLiteral("s3AccessKeyId"), QString::fromUtf8(credentials.accessKeyId)},
        {QStringLiteral("s3SecretKey"), QString::fromUtf8(credentials.secretKey)},
        {QStringLiteral("s3SessionToken"), QString::fromUtf8(credentials.sessionToken)}};
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

std::optional<signing::Credentials> decodeSecret(const QString &secret)
{
    if (!secret.startsWith(u'{'))
        return std::nullopt;
    const QJsonObject o = QJsonDocument::fromJson(secret.toUtf8()).object();
    if (!o.contains(QStringLiteral("s3AccessKeyId")))
        return std::nullopt;
    return signing::Credentials{o.value(QStringLiteral("s3AccessKeyId")).toString().toUtf8(),
                                o.value(QStringLiteral("s3SecretKey")).toString().toUtf8(),
                                o.value(QStringLiteral("s3SessionToken")).toString().toUtf8()};
}

bool needsPathStyle(QByteArrayView host)
{
    QByteArray h = host.toByteArray();
    if (h.startsWith('[') && h.endsWith(']'))
        h = h.mid(1, h.size() - 2);
    if (h.compare("localhost", Qt::CaseInsensitive) == 0 || h.endsWith(".localhost"))
        return true;
    QHostAddress address;
    return address.setAddress(QString::fromLatin1(h));
}

Access resolve(const Options &options, const QString &secret)
{
    Access a;
    const Profile profile = loadProfile(options.profile);
    a.region = firstSet({options.region, qEnvironmentVariable("AWS_REGION"),
                         qEnvironmentVariable("AWS_DEFAULT_REGION"),
                         profile.value(QStringLiteral("region")), QStringLiteral("us-east-1")})
                   .toUtf8();
    QString endpoint = firstSet({options.endpoint, qEnvironmentVariable("AWS_ENDPOINT_URL_S3"),
                                 qEnvironmentVariable("AWS_ENDPOINT_URL"),
                                 profile.value(QStringLiteral("s3.endpoint_url")),
                                 profile.value(QStringLiteral("endpoint_url"))});
    if (endpoint.isEmpty())
        endpoint = QStringLiteral("https://s3.%1.amazonaws.com").arg(QString::fromUtf8(a.region));
    if (!endpoint.contains(QStringLiteral("://")))
        endpoint.prepend(QStringLiteral("https://"));
    while (endpoint.endsWith(u'/'))
        endpoint.chop(1);
    a.endpoint = endpoint.toUtf8();
    a.pathStyle = options.pathStyle || needsPathStyle(QUrl(endpoint).host().toUtf8());

    if (const auto given = decodeSecret(secret)) {
        a.credentials = *given;
        a.credentialSource = QStringLiteral("the saved connection");
    } else if (!qEnvironmentVariable("AWS_ACCESS_KEY_ID").isEmpty()) {
        a.credentials.accessKeyId = qEnvironmentVariable("AWS_ACCESS_KEY_ID").toUtf8();
        a.credentials.secretKey = qEnvironmentVariable("AWS_SECRET_ACCESS_KEY").toUtf8();
        a.credentials.sessionToken = qEnvironmentVariable("AWS_SESSION_TOKEN").toUtf8();
        a.credentialSource = QStringLiteral("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    } else if (!profile.value(QStringLiteral("aws_access_key_id")).isEmpty()) {
        a.credentials.accessKeyId = profile.value(QStringLiteral("aws_access_key_id")).toUtf8();
        a.credentials.secretKey = profile.value(QStringLiteral("aws_secret_access_key")).toUtf8();
        a.credentials.sessionToken = profile.value(QStringLiteral("aws_session_token")).toUtf8();
        a.credentialSource
            = QStringLiteral("the profile '%1' (~/.aws/credentials)").arg(profile.name);
    }
    return a;
}

} // namespace syncdesk::s3
