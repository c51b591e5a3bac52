#pragma once

// Fast JSON for the hot path: a writer that appends straight into a byte buffer, and a scanner
// that validates one JSON value (strict RFC 8259, UTF-8) and lists an object's top-level members
// as slices of the input, without building a DOM. QJsonDocument is 7-10x slower for this job.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstring>
#include <vector>

namespace syncdesk::json {

enum class Type : quint8 { Null, Bool, Number, String, Object, Array };

// Appends `s` as a quoted JSON string, escaping what RFC 8259 requires. `s` must be valid UTF-8.
void appendString(QByteArray &out, QByteArrayView s);
void appendString(QByteArray &out, const QString &s);
// Appends an integer / a finite double in the shortest round-trip form.
void appendInt(QByteArray &out, qint64 v);
void appendDouble(QByteArray &out, double v);

// True when `s` is valid UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
bool isValidUtf8(QByteArrayView s);

struct Member
{
    QByteArrayView rawKey; // key as written, without quotes (may contain escapes)
    QByteArrayView rawValue; // value as written (for strings: with quotes)
    Type type = Type::Null;
    bool keyHasEscapes = false;

    QByteArray key() const; // unescaped key
    // Whether the unescaped key is `name`. Inline, sizes first: a row's keys are compared with
    // several names (findMember(), Segment's id fields).
    bool hasKey(QByteArrayView name) const
    {
        if (keyHasEscapes)
            return escapedKeyIs(name);
        return rawKey.size() == name.size()
            && (name.isEmpty()
                || std::memcmp(rawKey.data(), name.data(), size_t(name.size())) == 0);
    }
    bool escapedKeyIs(QByteArrayView name) const; // hasKey() for a key with escapes
};

struct ScanError
{
    qsizetype offset = -1; // byte offset in the scanned text where the error was found
    QString message;
    bool ok() const { return offset < 0; }
};

// Validates `text` as exactly one JSON object (whitespace around allowed) and fills `members`
// with its top-level members in order. Returns the error (offset + message) on failure.
ScanError scanObject(QByteArrayView text, std::vector<Member> &members);
// The first top-level member named `key` of an object whose value, an array of objects, is read
// in the same pass as the object (a reply and its list of per-record results).
struct ObjectList
{
    QByteArrayView key;
    std::vector<Member> members; // every element's members, element after element
    std::vector<int> counts; // each element's number of members
    bool seen = false; // a member named `key` was there
    bool read = false; // and its value was an array, read into members and counts
};
// scanObject() that also reads list.key's array as scanObjects() does. It fails where
// scanObjects() would on that array (an element that is not an object): the two separate calls
// then say which part was wrong.
ScanError scanObject(QByteArrayView text, std::vector<Member> &members, ObjectList &list);
// Validates `text` as exactly one JSON array and fills `elements` with its elements as written.
ScanError scanArray(QByteArrayView text, std::vector<QByteArrayView> &elements);
// Validates `text` as exactly one JSON array of objects, and fills `members` with every element's
// top-level members, element after element, and `counts` with each element's number of members.
// One pass: scanArray() and a scanObject() per element read every element twice.
ScanError scanObjects(QByteArrayView text, std::vector<Member> &members, std::vector<int> &counts);
// The member named `key` (unescaped) among `members`, or nullptr.
const Member *findMember(const std::vector<Member> &members, QByteArrayView key);
const Member *findMember(const Member *begin, const Member *end, QByteArrayView key);
// Validates `text` as exactly one JSON value of any type.
ScanError validate(QByteArrayView text, Type *type = nullptr);
// Decodes a JSON string literal (with quotes) into UTF-8.
QByteArray unescapeString(QByteArrayView literal);

} // namespace syncdesk::json
