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

} // namespace syncdesk
