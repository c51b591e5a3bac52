#!/usr/bin/env python3
"""Writes the reader test cases under tests/data/{csv,jsonl,jsonarray}: each input file and,
beside it, <file>.expected listing what the reader must yield, one line per row:
  R <row> <line> <json>      a record (row, physical line, compact JSON)
  E <row> <rule> <field>     a RowError ('-' when no field)
Deterministic (gzip mtime 0). Run from anywhere: python3 tests/data/make_reader_cases.py"""
import gzip, io, os

HERE = os.path.dirname(os.path.abspath(__file__))

def write(rel, data, expected, gz=False):
    path = os.path.join(HERE, rel)
    raw = data.encode('utf-8') if isinstance(data, str) else data
    with open(path, 'wb') as f:
        f.write(raw)
    with open(path + '.expected', 'w', encoding='utf-8', newline='\n') as f:
        f.write('\n'.join(expected) + ('\n' if expected else ''))
    if gz:
        buf = io.BytesIO()
        with gzip.GzipFile(fileobj=buf, mode='wb', mtime=0, filename='') as g:
            g.write(raw)
        with open(path + '.gz', 'wb') as f:
            f.write(buf.getvalue())
        with open(path + '.gz.expected', 'w', encoding='utf-8', newline='\n') as f:
            f.write('\n'.join(expected) + ('\n' if expected else ''))

# ---- CSV ----
write('csv/basic.csv', 'id,name,price,active\n1,Alice,9.5,true\n2,Bob,10,FALSE\n3,"Carol, Jr.",0.25,true\n', [
    'R 1 2 {"id":1,"name":"Alice","price":9.5,"active":true}',
    'R 2 3 {"id":2,"name":"Bob","price":10,"active":false}',
    'R 3 4 {"id":3,"name":"Carol, Jr.","price":0.25,"active":true}'], gz=True)
write('csv/quoted.csv', 'a,b\r\n"x ""q"" y","line1\r\nline2"\r\n"",plain\r\n', [
    'R 1 2 {"a":"x \\"q\\" y","b":"line1\\r\\nline2"}',
    'R 2 4 {"a":"","b":"plain"}'])
write('csv/semicolon.csv', 'id;city;amount\n1;Paris;1,5\n2;Köln;2\n', [
    'R 1 2 {"id":1,"city":"Paris","amount":"1,5"}',
    'R 2 3 {"id":2,"city":"Köln","amount":"2"}'])
write('csv/tab.tsv', 'name\tqty\nfoo\t3\nbar\t4\n', [
    'R 1 2 {"name":"foo","qty":3}',
    'R 2 3 {"name":"bar","qty":4}'])
write('csv/pipe.txt', 'k|v\na|1\nb|2\n', [
    'R 1 2 {"k":"a","v":1}',
    'R 2 3 {"k":"b","v":2}'])
write('csv/bom.csv', b'\xef\xbb\xbfid,v\n1,x\n', ['R 1 2 {"id":1,"v":"x"}'])
u16 = 'id,name\n1,Zoë\n2,李\n'
write('csv/utf16le.csv', b'\xff\xfe' + u16.encode('utf-16-le'), [
    'R 1 2 {"id":1,"name":"Zoë"}', 'R 2 3 {"id":2,"name":"李"}'])
write('csv/utf16be.csv', b'\xfe\xff' + u16.encode('utf-16-be'), [
    'R 1 2 {"id":1,"name":"Zoë"}', 'R 2 3 {"id":2,"name":"李"}'])
write('csv/noheader.csv', '1,a\n2,b\n', [
    'R 1 1 {"col1":1,"col2":"a"}', 'R 2 2 {"col1":2,"col2":"b"}'])
write('csv/lonecr.csv', 'a,b\r1,2\r3,4\r', [
    'R 1 2 {"a":1,"b":2}', 'R 2 3 {"a":3,"b":4}'])
write('csv/blanklines.csv', 'a,b\n1,2\n\n3,4\n\n', [
    'R 1 2 {"a":1,"b":2}', 'R 3 4 {"a":3,"b":4}'])
write('csv/ragged.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n', [
    'R 1 2 {"a":1,"b":2,"c":3}', 'E 2 ragged_row -', 'E 3 ragged_row -',
    'R 4 5 {"a":10,"b":11,"c":12}'])
write('csv/dupheader.csv', 'id,name,id\n1,a,2\n', ['R 1 2 {"id":1,"name":"a","id_2":2}'])
write('csv/overrides.csv', 'zip,n,j\n12345,5,"{""a"": 1}"\n67890,x,"[1,2]"\n', [
    'R 1 2 {"zip":"12345","n":5,"j":{"a":1}}',
    'R 2 3 {"zip":"67890","n":"x","j":[1,2]}'])
write('csv/nulls.csv', 'n,s\n1,\n,x\n2,y\n', [
    'R 1 2 {"n":1,"s":null}', 'R 2 3 {"n":null,"s":"x"}', 'R 3 4 {"n":2,"s":"y"}'])
write('csv/emptystrings.csv', 'a,b,c\n"",,x\n"", "",y\n', [
    'R 1 2 {"a":"","b":null,"c":"x"}', 'E 2 parse b'])
write('csv/timestamps.csv', 't,d\n2024-01-02T03:04:05Z,2024-01-02\n2024-01-03 10:00:00,2024-01-03\n', [
    'R 1 2 {"t":"2024-01-02T03:04:05Z","d":"2024-01-02"}',
    'R 2 3 {"t":"2024-01-03 10:00:00","d":"2024-01-03"}'])
write('csv/strayquote.csv', 'a,b\n1,x"y\n2,"ok"\n3,"bad"tail\n4,z\n', [
    'E 1 parse b', 'R 2 3 {"a":2,"b":"ok"}', 'E 3 parse b', 'R 4 5 {"a":4,"b":"z"}'])
write('csv/excelsep.csv', 'sep=;\r\nid;name\r\n1;a,b\r\n', ['R 1 3 {"id":1,"name":"a,b"}'])
write('csv/noeol.csv', 'a,b\n1,2\n3,4', ['R 1 2 {"a":1,"b":2}', 'R 2 3 {"a":3,"b":4}'])

# ---- JSON lines ----
write('jsonl/basic.jsonl', '{"id":1,"name":"a"}\n{"id": 2, "name": "b"}\n{"id":3,"tags":["x","y"],"o":{"k":null}}\n', [
    'R 1 1 {"id":1,"name":"a"}', 'R 2 2 {"id": 2, "name": "b"}',
    'R 3 3 {"id":3,"tags":["x","y"],"o":{"k":null}}'], gz=True)
write('jsonl/crlf.jsonl', '{"a":1}\r\n\r\n  {"a":2}  \r\n', ['R 1 1 {"a":1}', 'R 3 3 {"a":2}'])
write('jsonl/errors.jsonl', '{"a":1}\n{"a":\n[1,2]\n{"a":NaN}\n{"a":4}\n', [
    'R 1 1 {"a":1}', 'E 2 parse -', 'E 3 parse -', 'E 4 parse -', 'R 5 5 {"a":4}'])
write('jsonl/bom.jsonl', b'\xef\xbb\xbf{"a":1}\n{"a":2}\n', ['R 1 1 {"a":1}', 'R 2 2 {"a":2}'])
write('jsonl/noeol.jsonl', '{"a":1}\n{"a":2}', ['R 1 1 {"a":1}', 'R 2 2 {"a":2}'])
write('jsonl/badutf8.jsonl', b'{"a":"ok"}\n{"a":"\xff\xfe"}\n{"a":"\xc3\xa9"}\n', [
    'R 1 1 {"a":"ok"}', 'E 2 encoding -', 'R 3 3 {"a":"é"}'])

# ---- JSON array ----
write('jsonarray/pretty.json', '[\n  {\n    "id": 1,\n    "name": "a b"\n  },\n  {\n    "id": 2,\n    "tags": [ 1, 2 ]\n  }\n]\n', [
    'R 1 2 {"id":1,"name":"a b"}', 'R 2 6 {"id":2,"tags":[1,2]}'], gz=True)
write('jsonarray/compact.json', '[{"a":1},{"a":2}]', ['R 1 1 {"a":1}', 'R 2 1 {"a":2}'])
write('jsonarray/empty.json', '[ ]\n', [])
write('jsonarray/mixed.json', '[{"a":1}, 5, {"a":"x"}, "s", {"b":[1,{"c":"]}"}]}]', [
    'R 1 1 {"a":1}', 'E 2 parse -', 'R 3 1 {"a":"x"}', 'E 4 parse -', 'R 5 1 {"b":[1,{"c":"]}"}]}'])
write('jsonarray/escapes.json', '[{"q":"say \\"hi\\" {[","p":"c:\\\\"},\n{"n":-1.5e3}]', [
    'R 1 1 {"q":"say \\"hi\\" {[","p":"c:\\\\"}', 'R 2 2 {"n":-1.5e3}'])
write('jsonarray/badelement.json', '[{"a":1},{"a":tru},{"a":3}]', [
    'R 1 1 {"a":1}', 'E 2 parse -', 'R 3 1 {"a":3}'])
