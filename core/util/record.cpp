#include "util/record.h"

#include <utility>

namespace syncdesk {

ScannedMembers::ScannedMembers(ScannedMembers &&other) noexcept
    : m_members(std::move(other.m_members))
    , m_data(std::exchange(other.m_data, nullptr))
    , m_size(std::exchange(other.m_size, -1))
{ }

ScannedMembers &ScannedMembers::operator=(ScannedMembers &&other) noexcept
{
    m_members = std::move(other.m_members);
    m_data = std::exchange(other.m_data, nullptr);
    m_size = std::exchange(other.m_size, -1);
    return *this;
}

json::ScanError ScannedMembers::scan(const QByteArray &json)
{
    if (isScanOf(json))
        return {};
    forget();
    json::ScanError error = json::scanObject(json, m_members);
    if (error.ok()) {
        m_data = json.constData();
        m_size = json.size();
    }
    return error;
}

json::ScanError ScannedMembers::scanBeforeCopy(QByteArrayView text)
{
    forget();
    return json::scanObject(text, m_members);
}

void ScannedMembers::copiedTo(QByteArrayView text, const QByteArray &json)
{
    Q_ASSERT(json.size() == text.size());
    const auto moved = [&](QByteArrayView v) {
        return QByteArrayView(json.constData() + (v.data() - text.data()), v.size());
    };
    for (json::Member &m : m_members) {
        m.rawKey = moved(m.rawKey);
        m.rawValue = moved(m.rawValue);
    }
    m_data = json.constData();
    m_size = json.size();
}

void ScannedMembers::wrote(const QByteArray &json, const std::vector<Written> &members)
{
    forget();
    m_members.resize(members.size());
    for (size_t i = 0; i < members.size(); ++i) {
        const Written &w = members[i];
        if (w.valueEnd <= w.value)
            return; // not JSON: a stage after scans it and says why
        json::Member &m = m_members[i];
        m.rawKey = QByteArrayView(json.constData() + w.key, w.keyEnd - w.key);
        m.rawValue = QByteArrayView(json.constData() + w.value, w.valueEnd - w.value);
        m.keyHasEscapes = m.rawKey.contains('\\');
        // What the scanner would say: the writer wrote valid JSON, its first byte tells the type.
        switch (m.rawValue.front()) {
        case '{': m.type = json::Type::Object; break;
        case '[': m.type = json::Type::Array; break;
        case '"': m.type = json::Type::String; break;
        case 't':
        case 'f': m.type = json::Type::Bool; break;
        case 'n': m.type = json::Type::Null; break;
        default: m.type = json::Type::Number; break;
        }
    }
    m_data = json.constData();
    m_size = json.size();
}

} // namespace syncdesk
