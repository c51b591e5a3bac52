#pragma once

// The window's persistent preferences, through typed accessors with defaults (no raw QSettings
// keys spread over the widgets).

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>

namespace syncdesk::ui {

template<typename T> class SettingValue
{
public:
    SettingValue(QString key, T defaultValue)
        : m_key(std::move(key))
        , m_default(std::move(defaultValue))
    { }
    T get() const
    {
        const QVariant v = QSettings().value(m_key);
        return v.isValid() && v.canConvert<T>() ? v.value<T>() : m_default;
    }
    void set(const T &value) const { QSettings().setValue(m_key, QVariant::fromValue(value)); }

private:
    QString m_key;
    T m_default;
};

class AppSettings final
{
public:
    static constexpr int maxRecentFiles = 10;

    static SettingValue<QByteArray> windowGeometry()
    {
        return {QStringLiteral("window/geometry"), {}};
    }
    static SettingValue<QByteArray> windowState() { return {QStringLiteral("window/state"), {}}; }
    static SettingValue<QString> lastPage()
    {
        return {QStringLiteral("window/lastPage"), QStringLiteral("connections")};
    }
    static SettingValue<QStringList> recentFiles()
    {
        return {QStringLiteral("datasets/recent"), {}};
    }
    static SettingValue<bool> firstLaunchDone()
    {
        return {QStringLiteral("app/firstLaunchDone"), false};
    }
    static SettingValue<QString> lastOpenDir() { return {QStringLiteral("datasets/lastDir"), {}}; }
    // The catalog chosen in File > Catalog… (a file path or a postgresql:// URL, never with a
    // password); empty: the data directory's file.
    static SettingValue<QString> catalogLocation()
    {
        return {QStringLiteral("catalog/location"), {}};
    }

    // Moves `path` to the front of the recent files, keeping at most maxRecentFiles.
    static void addRecentFile(const QString &path)
    {
        QStringList files = recentFiles().get();
        files.removeAll(path);
        files.prepend(path);
        while (files.size() > maxRecentFiles)
            files.removeLast();
        recentFiles().set(files);
    }
};

} // namespace syncdesk::ui
