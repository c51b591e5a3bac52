<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en">
<context>
    <name>DestinationDescriptor</name>
    <message>
        <source>Secret access key</source>
        <translation>Geheimer Zugriffsschlüssel</translation>
    </message>
    <message>
        <source>Topic (user, item, behavior)</source>
        <translation>Thema (user, item, behavior)</translation>
    </message>
    <message>
        <source>Offline stage: the data date is sent with every request as its Content-Date header.</source>
        <translation>Offline-Phase: Das Datendatum wird mit jeder Anfrage als deren Content-Date-Header gesendet.</translation>
    </message>
    <message>
        <source>Access key ID</source>
        <translation>Zugriffsschlüssel-ID</translation>
    </message>
    <message>
        <source>Application (project) ID</source>
        <translation>Anwendungs-(Projekt-)ID</translation>
    </message>
    <message>
        <source>Tenant ID</source>
        <translation>Mandanten-ID</translation>
    </message>
    <message>
        <source>&amp;Authentication</source>
        <translation>&amp;Authentifizierung</translation>
    </message>
    <message>
        <source>Access key and secret key</source>
        <translation>Zugriffsschlüssel und geheimer Schlüssel</translation>
    </message>
    <message>
        <source>Tenant token (legacy)</source>
        <translation>Mandanten-Token (veraltet)</translation>
    </message>
    <message>
        <source>Stream name</source>
        <translation>Stream-Name</translation>
    </message>
    <message>
        <source>Offline stage: DIS has no data date; SyncDesk keeps it in the catalog for the stage rules only, the records do not carry it.</source>
        <translation>Offline-Phase: DIS kennt kein Datendatum; SyncDesk speichert es nur für die Phasenregeln im Katalog, die Datensätze enthalten es nicht.</translation>
    </message>
    <message>
        <source>Project ID</source>
        <translation>Projekt-ID</translation>
    </message>
    <message>
        <source>Si&amp;gning</source>
        <translation>Si&amp;gnierung</translation>
    </message>
    <message>
        <source>API Gateway (SDK-HMAC-SHA256, no scope)</source>
        <translation>API Gateway (SDK-HMAC-SHA256, ohne Scope)</translation>
    </message>
    <message>
        <source>Scoped (DIS Java SDK)</source>
        <translation>Mit Scope (DIS Java SDK)</translation>
    </message>
    <message>
        <source>Partition key field</source>
        <translation>Feld für den Partitionsschlüssel</translation>
    </message>
    <message>
        <source>Stream id</source>
        <translation>Stream-ID</translation>
    </message>
    <message>
        <source>Stream type</source>
        <translation>Stream-Typ</translation>
    </message>
    <message>
        <source>Records per request</source>
        <translation>Datensätze pro Anfrage</translation>
    </message>
    <message>
        <source>Offline stage: Firehose has no data date; SyncDesk keeps it in the catalog for the stage rules only, the records do not carry it.</source>
        <translation>Offline-Phase: Firehose kennt kein Datendatum; SyncDesk speichert es nur für die Phasenregeln im Katalog, die Datensätze enthalten es nicht.</translation>
    </message>
    <message>
        <source>Record delimiter</source>
        <translation>Datensatz-Trennzeichen</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Target label</source>
        <translation>Zielbezeichnung</translation>
    </message>
    <message>
        <source>Offline stage: the JSON records do not carry the data date; SyncDesk keeps it in the catalog for the stage rules only.</source>
        <translation>Offline-Phase: Die JSON-Datensätze enthalten das Datendatum nicht; SyncDesk speichert es nur für die Phasenregeln im Katalog.</translation>
    </message>
    <message>
        <source>Token header</source>
        <translation>Token-Header</translation>
    </message>
    <message>
        <source>Records per request at most</source>
        <translation>Höchstens Datensätze pro Anfrage</translation>
    </message>
    <message>
        <source>Bytes per request at most</source>
        <translation>Höchstens Bytes pro Anfrage</translation>
    </message>
    <message>
        <source>Write key</source>
        <translation>Write Key</translation>
    </message>
    <message>
        <source>Event name</source>
        <translation>Ereignisname</translation>
    </message>
    <message>
        <source>Offline stage: Segment has no data date; SyncDesk keeps it in the catalog for the stage rules only, the records do not carry it.</source>
        <translation>Offline-Phase: Segment kennt kein Datendatum; SyncDesk speichert es nur für die Phasenregeln im Katalog, die Datensätze enthalten es nicht.</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Aufruf</translation>
    </message>
    <message>
        <source>User id field</source>
        <translation>Feld für die Benutzer-ID</translation>
    </message>
    <message>
        <source>Anonymous id field</source>
        <translation>Feld für die anonyme ID</translation>
    </message>
    <message>
        <source>Event field</source>
        <translation>Feld für das Ereignis</translation>
    </message>
    <message>
        <source>Group id field</source>
        <translation>Feld für die Gruppen-ID</translation>
    </message>
    <message>
        <source>Timestamp field</source>
        <translation>Feld für den Zeitstempel</translation>
    </message>
    <message>
        <source>Import API token</source>
        <translation>Import-API-Token</translation>
    </message>
    <message>
        <source>Table name</source>
        <translation>Tabellenname</translation>
    </message>
    <message>
        <source>Offline stage: Stitch has no data date; SyncDesk keeps it in the catalog for the stage rules only, the records do not carry it.</source>
        <translation>Offline-Phase: Stitch kennt kein Datendatum; SyncDesk speichert es nur für die Phasenregeln im Katalog, die Datensätze enthalten es nicht.</translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation>Client-ID</translation>
    </message>
    <message>
        <source>JSON Schema</source>
        <translation>JSON-Schema</translation>
    </message>
    <message>
        <source>Batch size (bytes)</source>
        <translation>Stapelgröße (Bytes)</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>The connection settings cannot be used: %1</source>
        <translation>Die Verbindungseinstellungen sind nicht verwendbar: %1</translation>
    </message>
    <message>
        <source>No answer from %1: %2. Check the endpoint and your network.</source>
        <translation>Keine Antwort von %1: %2. Prüfen Sie den Endpunkt und Ihr Netzwerk.</translation>
    </message>
    <message>
        <source>%1 records per request</source>
        <translation>%1 Datensätze pro Anfrage</translation>
    </message>
    <message>
        <source>%1 per request</source>
        <translation>%1 pro Anfrage</translation>
    </message>
    <message>
        <source>%1 per record</source>
        <translation>%1 pro Datensatz</translation>
    </message>
    <message>
        <source>%1 requests/s</source>
        <translation>%1 Anfragen/s</translation>
    </message>
    <message>
        <source>%1 records/s</source>
        <translation>%1 Datensätze/s</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>service maximum (%1)</source>
        <translation>Höchstwert des Dienstes (%1)</translation>
    </message>
    <message>
        <source>no extra limit</source>
        <translation>keine zusätzliche Grenze</translation>
    </message>
    <message>
        <source>Run %1: %2 to %3 &apos;%4&apos;, stage %5%6</source>
        <translation>Lauf %1: %2 nach %3 „%4“, Phase %5%6</translation>
    </message>
    <message>
        <source>, data date %1</source>
        <translation>, Datendatum %1</translation>
    </message>
    <message>
        <source>State: %1%2</source>
        <translation>Zustand: %1%2</translation>
    </message>
    <message>
        <source>Retry of run %1</source>
        <translation>Wiederholung von Lauf %1</translation>
    </message>
    <message>
        <source>Created %1, started %2, finished %3</source>
        <translation>Erstellt %1, gestartet %2, beendet %3</translation>
    </message>
    <message>
        <source>Reconciliation</source>
        <translation>Abgleich</translation>
    </message>
    <message>
        <source>  rows read            %1</source>
        <translation>  gelesene Zeilen              %1</translation>
    </message>
    <message>
        <source>  delivered (counter)  %1</source>
        <translation>  zugestellt (Zähler)          %1</translation>
    </message>
    <message>
        <source>  delivered (ledger)   %1</source>
        <translation>  zugestellt (Journal)         %1</translation>
    </message>
    <message>
        <source>  failed (counter)     %1</source>
        <translation>  fehlgeschlagen (Zähler)      %1</translation>
    </message>
    <message>
        <source>  still failed now     %1</source>
        <translation>  weiterhin fehlgeschlagen     %1</translation>
    </message>
    <message>
        <source>  skipped              %1</source>
        <translation>  übersprungen                 %1</translation>
    </message>
    <message>
        <source>  possible duplicates  %1</source>
        <translation>  mögliche Duplikate           %1</translation>
    </message>
    <message>
        <source>  requests             %1 (%2)</source>
        <translation>  Anfragen                     %1 (%2)</translation>
    </message>
    <message>
        <source>  adds up: read = delivered + failed + skipped</source>
        <translation>  stimmt: gelesen = zugestellt + fehlgeschlagen + übersprungen</translation>
    </message>
    <message>
        <source>  does NOT add up: read %1, delivered + failed + skipped %2 (a run still in progress, or cancelled before the end)</source>
        <translation>  stimmt NICHT: gelesen %1, zugestellt + fehlgeschlagen + übersprungen %2 (ein Lauf ist noch aktiv oder wurde vor dem Ende abgebrochen)</translation>
    </message>
    <message>
        <source>Failed rows by error code</source>
        <translation>Fehlgeschlagene Zeilen nach Fehlercode</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <source>Name: %1</source>
        <translation>Name: %1</translation>
    </message>
    <message>
        <source>Status: %1</source>
        <translation>Status: %1</translation>
    </message>
    <message>
        <source>Type: %1</source>
        <translation>Typ: %1</translation>
    </message>
    <message>
        <source>ARN: %1</source>
        <translation>ARN: %1</translation>
    </message>
    <message>
        <source>Created: %1</source>
        <translation>Erstellt: %1</translation>
    </message>
    <message>
        <source>S3 bucket: %1</source>
        <translation>S3-Bucket: %1</translation>
    </message>
    <message>
        <source>Destinations: %1</source>
        <translation>Ziele: %1</translation>
    </message>
    <message>
        <source>Failure: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <source>an upload</source>
        <translation>ein Upload</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>the folder %1 cannot be created</source>
        <translation>der Ordner %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>SyncDesk cannot open its catalog %1: %2. Check the folder&apos;s permissions or choose another one with --data-dir.</source>
        <translation>SyncDesk kann seinen Katalog %1 nicht öffnen: %2. Prüfen Sie die Berechtigungen des Ordners oder wählen Sie mit --data-dir einen anderen.</translation>
    </message>
    <message>
        <source>SyncDesk demo</source>
        <translation>SyncDesk-Demo</translation>
    </message>
    <message>
        <source>The demo could not be prepared: %1</source>
        <translation>Die Demo konnte nicht vorbereitet werden: %1</translation>
    </message>
    <message>
        <source>SyncDesk cannot open the team catalog: %1. Check that the server is reachable and the password is right (File &gt; Catalog…, PGPASSWORD or ~/.pgpass), or choose another catalog with --catalog.</source>
        <translation>SyncDesk kann den Team-Katalog nicht öffnen: %1. Prüfen Sie, ob der Server erreichbar und das Passwort richtig ist (Datei &gt; Katalog…, PGPASSWORD oder ~/.pgpass), oder wählen Sie mit --catalog einen anderen Katalog.</translation>
    </message>
    <message>
        <source>Open this computer&apos;s catalog instead?</source>
        <translation>Stattdessen den Katalog dieses Computers öffnen?</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::AppContext</name>
    <message>
        <source>Secrets are kept in memory for this session only.</source>
        <translation>Geheimnisse werden nur für diese Sitzung im Arbeitsspeicher gehalten.</translation>
    </message>
    <message>
        <source>No keychain answered (%1). Secrets are kept in memory for this session only and must be entered again after a restart.</source>
        <translation>Kein Schlüsselbund hat geantwortet (%1). Geheimnisse werden nur für diese Sitzung im Arbeitsspeicher gehalten und müssen nach einem Neustart erneut eingegeben werden.</translation>
    </message>
    <message>
        <source>Not saved in the keychain (%1); kept for this session: it must be entered again after a restart.</source>
        <translation>Nicht im Schlüsselbund gespeichert (%1); für diese Sitzung behalten: Das Geheimnis muss nach einem Neustart erneut eingegeben werden.</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::CatalogDialog</name>
    <message>
        <source>the folder %1 is not writable</source>
        <translation>der Ordner %1 ist nicht beschreibbar</translation>
    </message>
    <message>
        <source>Catalog</source>
        <translation>Katalog</translation>
    </message>
    <message>
        <source>Where SyncDesk keeps connections, streams, jobs and the history of runs. A team shares one catalog on a PostgreSQL server; secrets stay in each operator&apos;s keychain.</source>
        <translation>Wo SyncDesk Verbindungen, Streams, Jobs und den Verlauf der Läufe ablegt. Ein Team teilt einen Katalog auf einem PostgreSQL-Server; Geheimnisse bleiben im Schlüsselbund jedes Bedieners.</translation>
    </message>
    <message>
        <source>&amp;This computer (a file)</source>
        <translation>&amp;Dieser Computer (eine Datei)</translation>
    </message>
    <message>
        <source>Te&amp;am (PostgreSQL)</source>
        <translation>&amp;Team (PostgreSQL)</translation>
    </message>
    <message>
        <source>T&amp;est connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <source>Catalog test result</source>
        <translation>Ergebnis des Katalogtests</translation>
    </message>
    <message>
        <source>&amp;Switch</source>
        <translation>&amp;Wechseln</translation>
    </message>
    <message>
        <source>Catalog file</source>
        <translation>Katalogdatei</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <source>SyncDesk catalogs (*.sqlite)</source>
        <translation>SyncDesk-Kataloge (*.sqlite)</translation>
    </message>
    <message>
        <source>Server host</source>
        <translation>Server-Host</translation>
    </message>
    <message>
        <source>Server port</source>
        <translation>Server-Port</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>TLS mode</source>
        <translation>TLS-Modus</translation>
    </message>
    <message>
        <source>disable (no TLS)</source>
        <translation>disable (kein TLS)</translation>
    </message>
    <message>
        <source>prefer (TLS when offered, not verified)</source>
        <translation>prefer (TLS, wenn angeboten; nicht geprüft)</translation>
    </message>
    <message>
        <source>require (TLS, not verified)</source>
        <translation>require (TLS, nicht geprüft)</translation>
    </message>
    <message>
        <source>verify-ca (TLS, certificate checked)</source>
        <translation>verify-ca (TLS, Zertifikat geprüft)</translation>
    </message>
    <message>
        <source>verify-full (TLS, certificate and host name checked)</source>
        <translation>verify-full (TLS, Zertifikat und Hostname geprüft)</translation>
    </message>
    <message>
        <source>CA certificate file</source>
        <translation>CA-Zertifikatsdatei</translation>
    </message>
    <message>
        <source>default: ~/.postgresql/root.crt</source>
        <translation>Standard: ~/.postgresql/root.crt</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>kept in the keychain; empty: PGPASSWORD or ~/.pgpass</source>
        <translation>wird im Schlüsselbund aufbewahrt; leer: PGPASSWORD oder ~/.pgpass</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Host:</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>&amp;Datenbank:</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Benutzer:</translation>
    </message>
    <message>
        <source>T&amp;LS:</source>
        <translation>T&amp;LS:</translation>
    </message>
    <message>
        <source>&amp;CA file:</source>
        <translation>&amp;CA-Datei:</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>Pass&amp;wort:</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>%1 wird geöffnet…</translation>
    </message>
    <message>
        <source>The test failed: %1</source>
        <translation>Der Test ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>%1 was written by a newer SyncDesk (schema version %2; this one knows %3). Update SyncDesk before switching to it.</source>
        <translation>%1 wurde von einem neueren SyncDesk geschrieben (Schemaversion %2; dieses kennt %3). Aktualisieren Sie SyncDesk, bevor Sie dorthin wechseln.</translation>
    </message>
    <message>
        <source>%1 does not exist yet; SyncDesk will create it.</source>
        <translation>%1 existiert noch nicht; SyncDesk legt ihn an.</translation>
    </message>
    <message>
        <source>Connected to %1: an empty database; SyncDesk will create its tables there.</source>
        <translation>Verbunden mit %1: eine leere Datenbank; SyncDesk legt dort seine Tabellen an.</translation>
    </message>
    <message>
        <source>Connected to %1: catalog schema version %2.</source>
        <translation>Verbunden mit %1: Katalog-Schemaversion %2.</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::BucketDialog</name>
    <message>
        <source>Open from bucket</source>
        <translation>Aus Bucket öffnen</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <source>default: AWS_ENDPOINT_URL_S3, the profile's, or AWS</source>
        <translation>Standard: AWS_ENDPOINT_URL_S3, der des Profils oder AWS</translation>
    </message>
    <message>
        <source>&amp;Endpoint:</source>
        <translation>&amp;Endpunkt:</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>default: AWS_REGION, the profile's, or us-east-1</source>
        <translation>Standard: AWS_REGION, die des Profils oder us-east-1</translation>
    </message>
    <message>
        <source>&amp;Region:</source>
        <translation>&amp;Region:</translation>
    </message>
    <message>
        <source>Bucket</source>
        <translation>Bucket</translation>
    </message>
    <message>
        <source>&amp;Bucket:</source>
        <translation>&amp;Bucket:</translation>
    </message>
    <message>
        <source>Prefix</source>
        <translation>Präfix</translation>
    </message>
    <message>
        <source>&amp;Prefix:</source>
        <translation>&amp;Präfix:</translation>
    </message>
    <message>
        <source>Path-style addressing</source>
        <translation>Pfad-Adressierung</translation>
    </message>
    <message>
        <source>&amp;List</source>
        <translation>&amp;Auflisten</translation>
    </message>
    <message>
        <source>Objects</source>
        <translation>Objekte</translation>
    </message>
    <message>
        <source>Credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or the AWS profile.</source>
        <translation>Die Zugangsdaten kommen aus AWS_ACCESS_KEY_ID und AWS_SECRET_ACCESS_KEY oder dem AWS-Profil.</translation>
    </message>
    <message>
        <source>Credentials</source>
        <translation>Zugangsdaten</translation>
    </message>
    <message>
        <source>Environment or AWS profile</source>
        <translation>Umgebung oder AWS-Profil</translation>
    </message>
    <message>
        <source>%1 (saved connection)</source>
        <translation>%1 (gespeicherte Verbindung)</translation>
    </message>
    <message>
        <source>&amp;Credentials:</source>
        <translation>&amp;Zugangsdaten:</translation>
    </message>
    <message>
        <source>Give a bucket.</source>
        <translation>Geben Sie einen Bucket an.</translation>
    </message>
    <message>
        <source>Listing %1…</source>
        <translation>%1 wird aufgelistet…</translation>
    </message>
    <message>
        <source>%1 objects and %2 folders in s3://%3/%4</source>
        <translation>%1 Objekte und %2 Ordner in s3://%3/%4</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::ConnectionDialog</name>
    <message>
        <source>Edit connection</source>
        <translation>Verbindung bearbeiten</translation>
    </message>
    <message>
        <source>Add connection</source>
        <translation>Verbindung hinzufügen</translation>
    </message>
    <message>
        <source>Service kind</source>
        <translation>Dienstart</translation>
    </message>
    <message>
        <source>&amp;Service:</source>
        <translation>&amp;Dienst:</translation>
    </message>
    <message>
        <source>Connection name</source>
        <translation>Name der Verbindung</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>Endpoint URL</source>
        <translation>Endpunkt-URL</translation>
    </message>
    <message>
        <source>&amp;Endpoint:</source>
        <translation>&amp;Endpunkt:</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>&amp;Region:</source>
        <translation>&amp;Region:</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>Geheimnis</translation>
    </message>
    <message>
        <source>stored - leave empty to keep it</source>
        <translation>gespeichert – leer lassen, um es zu behalten</translation>
    </message>
    <message>
        <source>Se&amp;cret:</source>
        <translation>&amp;Geheimnis:</translation>
    </message>
    <message>
        <source>Session token</source>
        <translation>Sitzungstoken</translation>
    </message>
    <message>
        <source>optional (temporary credentials)</source>
        <translation>optional (temporäre Zugangsdaten)</translation>
    </message>
    <message>
        <source>Session &amp;token:</source>
        <translation>Sitzungs&amp;token:</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>Request timeout</source>
        <translation>Zeitlimit der Anfrage</translation>
    </message>
    <message>
        <source>T&amp;imeout:</source>
        <translation>&amp;Zeitlimit:</translation>
    </message>
    <message>
        <source>Do not verify the server&apos;s TLS certificate</source>
        <translation>Das TLS-Zertifikat des Servers nicht prüfen</translation>
    </message>
    <message>
        <source>Skip TLS verification</source>
        <translation>TLS-Prüfung überspringen</translation>
    </message>
    <message>
        <source>Insecure: anyone on the network path can read and change what is sent, credentials included. Use an extra CA bundle instead where you can.</source>
        <translation>Unsicher: Jeder auf dem Netzwerkweg kann das Gesendete lesen und verändern, Zugangsdaten eingeschlossen. Verwenden Sie nach Möglichkeit stattdessen ein zusätzliches CA-Bündel.</translation>
    </message>
    <message>
        <source>Give the connection a name.</source>
        <translation>Geben Sie der Verbindung einen Namen.</translation>
    </message>
    <message>
        <source>Enter the service&apos;s endpoint URL, for example %1.</source>
        <translation>Geben Sie die Endpunkt-URL des Dienstes ein, zum Beispiel %1.</translation>
    </message>
    <message>
        <source>The endpoint &apos;%1&apos; is not an http(s) URL, for example %2.</source>
        <translation>Der Endpunkt „%1“ ist keine http(s)-URL wie zum Beispiel %2.</translation>
    </message>
    <message>
        <source>Enter the %1: the service refuses requests without it.</source>
        <translation>Geben Sie „%1“ ein: Der Dienst lehnt Anfragen ohne diese Angabe ab.</translation>
    </message>
    <message>
        <source>Secret needed for &apos;%1&apos;</source>
        <translation>Geheimnis für „%1“ benötigt</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is shared through the catalog; its secret is kept in each operator&apos;s keychain, and yours has none yet. Enter it once.</source>
        <translation>„%1“ wird über den Katalog geteilt; sein Geheimnis liegt im Schlüsselbund jedes Bedieners, und Ihrer enthält noch keins. Geben Sie es einmal ein.</translation>
    </message>
    <message>
        <source>Extra CA bundle</source>
        <translation>Zusätzliches CA-Bündel</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::ConnectionsPage</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Dienst</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Saved connections</source>
        <translation>Gespeicherte Verbindungen</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>Hin&amp;zufügen…</translation>
    </message>
    <message>
        <source>Ed&amp;it…</source>
        <translation>Bearbe&amp;iten…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <source>Connection test result</source>
        <translation>Ergebnis des Verbindungstests</translation>
    </message>
    <message>
        <source>%1 connection to %2</source>
        <translation>%1-Verbindung zu %2</translation>
    </message>
    <message>
        <source>TLS verification is OFF (insecure).</source>
        <translation>TLS-Prüfung ist AUS (unsicher).</translation>
    </message>
    <message>
        <source>No connections yet: add one, or run syncdesk --demo to try the sandbox.</source>
        <translation>Noch keine Verbindungen: Fügen Sie eine hinzu oder starten Sie syncdesk --demo, um die Sandbox auszuprobieren.</translation>
    </message>
    <message>
        <source>Saving connection &apos;%1&apos;…</source>
        <translation>Verbindung „%1“ wird gespeichert…</translation>
    </message>
    <message>
        <source>The connection &apos;%1&apos; was not saved: %2</source>
        <translation>Die Verbindung „%1“ wurde nicht gespeichert: %2</translation>
    </message>
    <message>
        <source>The connection was saved, but its secret was not stored: %1. Edit the connection to enter it again.</source>
        <translation>Die Verbindung wurde gespeichert, ihr Geheimnis jedoch nicht: %1. Bearbeiten Sie die Verbindung, um es erneut einzugeben.</translation>
    </message>
    <message>
        <source>Remove connection</source>
        <translation>Verbindung entfernen</translation>
    </message>
    <message>
        <source>Remove the connection &apos;%1&apos; with its streams, saved jobs and loaded-date records? Past runs stay in the history. Its secret is removed from the %2.</source>
        <translation>Die Verbindung „%1“ mit ihren Streams, gespeicherten Aufträgen und den Einträgen geladener Daten entfernen? Frühere Läufe bleiben im Verlauf. Ihr Geheimnis wird aus dem %2 entfernt.</translation>
    </message>
    <message>
        <source>secret store</source>
        <translation>Geheimnisspeicher</translation>
    </message>
    <message>
        <source>The connection was not removed: %1</source>
        <translation>Die Verbindung wurde nicht entfernt: %1</translation>
    </message>
    <message>
        <source>Testing &apos;%1&apos;…</source>
        <translation>„%1“ wird getestet…</translation>
    </message>
    <message>
        <source>Testing connection &apos;%1&apos;…</source>
        <translation>Verbindung „%1“ wird getestet…</translation>
    </message>
    <message>
        <source>The secret of &apos;%1&apos; could not be read: %2</source>
        <translation>Das Geheimnis von „%1“ konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>&apos;%1&apos; answered in %2 ms: %3</source>
        <translation>„%1“ antwortete in %2 ms: %3</translation>
    </message>
    <message>
        <source>Test of &apos;%1&apos; failed: %2</source>
        <translation>Test von „%1“ fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>Geheimnis</translation>
    </message>
    <message>
        <source>stored</source>
        <translation>gespeichert</translation>
    </message>
    <message>
        <source>secret needed</source>
        <translation>Geheimnis benötigt</translation>
    </message>
    <message>
        <source>not needed</source>
        <translation>nicht nötig</translation>
    </message>
    <message>
        <source>This connection is shared through the catalog, but your keychain has no secret for it. It is asked for once when you first use it.</source>
        <translation>Diese Verbindung wird über den Katalog geteilt, aber Ihr Schlüsselbund enthält kein Geheimnis dafür. Es wird bei der ersten Verwendung einmal abgefragt.</translation>
    </message>
    <message>
        <source>Secret needed: your keychain has none for this connection yet.</source>
        <translation>Geheimnis benötigt: Ihr Schlüsselbund enthält noch keins für diese Verbindung.</translation>
    </message>
    <message>
        <source>this session only</source>
        <translation>nur diese Sitzung</translation>
    </message>
    <message>
        <source>Not saved in the keychain (%1); kept for this session: it must be entered again after a restart.</source>
        <translation>Nicht im Schlüsselbund gespeichert (%1); für diese Sitzung behalten: Das Geheimnis muss nach einem Neustart erneut eingegeben werden.</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::DatasetPage</name>
    <message>
        <source>Open from &amp;bucket…</source>
        <translation>Aus B&amp;ucket öffnen…</translation>
    </message>
    <message>
        <source>&amp;Open file…</source>
        <translation>Datei ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>S&amp;QL source…</source>
        <translation>S&amp;QL-Quelle…</translation>
    </message>
    <message>
        <source>Dataset details</source>
        <translation>Details des Datenbestands</translation>
    </message>
    <message>
        <source>Indexing progress</source>
        <translation>Fortschritt der Indizierung</translation>
    </message>
    <message>
        <source>Stop indexing</source>
        <translation>Indizierung anhalten</translation>
    </message>
    <message>
        <source>Dataset preview</source>
        <translation>Vorschau des Datenbestands</translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>&amp;Vorschau</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>Spalte</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>Übereinstimmung</translation>
    </message>
    <message>
        <source>Nulls</source>
        <translation>Nullwerte</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>Beispiele</translation>
    </message>
    <message>
        <source>Inferred schema</source>
        <translation>Erkanntes Schema</translation>
    </message>
    <message>
        <source>Apply &amp;types</source>
        <translation>&amp;Typen anwenden</translation>
    </message>
    <message>
        <source>Reads the CSV columns with the types chosen here.</source>
        <translation>Liest die CSV-Spalten mit den hier gewählten Typen.</translation>
    </message>
    <message>
        <source>&amp;Schema</source>
        <translation>&amp;Schema</translation>
    </message>
    <message>
        <source>Source column</source>
        <translation>Quellspalte</translation>
    </message>
    <message>
        <source>Send as</source>
        <translation>Senden als</translation>
    </message>
    <message>
        <source>Cast</source>
        <translation>Umwandlung</translation>
    </message>
    <message>
        <source>Drop</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>Column mapping</source>
        <translation>Spaltenzuordnung</translation>
    </message>
    <message>
        <source>Send only the columns listed</source>
        <translation>Nur die aufgeführten Spalten senden</translation>
    </message>
    <message>
        <source>&amp;Apply mapping</source>
        <translation>Zuordnung anwe&amp;nden</translation>
    </message>
    <message>
        <source>&amp;Mapping</source>
        <translation>&amp;Zuordnung</translation>
    </message>
    <message>
        <source>&amp;Rules of:</source>
        <translation>&amp;Regeln von:</translation>
    </message>
    <message>
        <source>Validate against the rules of stream</source>
        <translation>Gegen die Regeln des Streams validieren</translation>
    </message>
    <message>
        <source>Vali&amp;date</source>
        <translation>Valid&amp;ieren</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Validation progress</source>
        <translation>Fortschritt der Validierung</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <source>Failing rows</source>
        <translation>Fehlerhafte Zeilen</translation>
    </message>
    <message>
        <source>Failures per rule</source>
        <translation>Fehler pro Regel</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>Zeile</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>Failing rows (the selected one is shown below; double-click shows it in the preview)</source>
        <translation>Fehlerhafte Zeilen (die ausgewählte wird darunter gezeigt; Doppelklick zeigt sie in der Vorschau)</translation>
    </message>
    <message>
        <source>Va&amp;lidation</source>
        <translation>Va&amp;lidierung</translation>
    </message>
    <message>
        <source>Validating: %1 rows checked…</source>
        <translation>Validierung: %1 Zeilen geprüft…</translation>
    </message>
    <message>
        <source>indexing: %1 rows</source>
        <translation>Indizierung: %1 Zeilen</translation>
    </message>
    <message>
        <source>Open dataset</source>
        <translation>Datenbestand öffnen</translation>
    </message>
    <message>
        <source>Datasets (*.csv *.tsv *.jsonl *.ndjson *.json *.gz);;All files (*)</source>
        <translation>Datenbestände (*.csv *.tsv *.jsonl *.ndjson *.json *.gz);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>The dataset could not be opened: %1</source>
        <translation>Der Datenbestand konnte nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <source>No dataset open. Open a CSV, JSON-lines or JSON file (Ctrl+O), drop one on the window, or query a SQL database.</source>
        <translation>Kein Datenbestand geöffnet. Öffnen Sie eine CSV-, JSON-Lines- oder JSON-Datei (Strg+O), ziehen Sie eine auf das Fenster oder fragen Sie eine SQL-Datenbank ab.</translation>
    </message>
    <message>
        <source>gzip</source>
        <translation>gzip</translation>
    </message>
    <message>
        <source>delimiter &apos;%1&apos;</source>
        <translation>Trennzeichen „%1“</translation>
    </message>
    <message>
        <source>%1 rows</source>
        <translation>%1 Zeilen</translation>
    </message>
    <message>
        <source>%1+ rows</source>
        <translation>%1+ Zeilen</translation>
    </message>
    <message numerus="yes">
        <source>%n column(s)</source>
        <translation>
            <numerusform>%n Spalte</numerusform>
            <numerusform>%n Spalten</numerusform>
        </translation>
    </message>
    <message>
        <source>auto (%1)</source>
        <translation>automatisch (%1)</translation>
    </message>
    <message>
        <source>Type of column %1</source>
        <translation>Typ der Spalte %1</translation>
    </message>
    <message>
        <source>keep</source>
        <translation>beibehalten</translation>
    </message>
    <message>
        <source>Cast of column %1</source>
        <translation>Umwandlung der Spalte %1</translation>
    </message>
    <message>
        <source>Mapping: records are sent as read.</source>
        <translation>Zuordnung: Datensätze werden so gesendet, wie sie gelesen wurden.</translation>
    </message>
    <message numerus="yes">
        <source>Mapping applied: %n column rule(s).</source>
        <translation>
            <numerusform>Zuordnung angewendet: %n Spaltenregel.</numerusform>
            <numerusform>Zuordnung angewendet: %n Spaltenregeln.</numerusform>
        </translation>
    </message>
    <message>
        <source>basic checks only (JSON, UTF-8)</source>
        <translation>nur Grundprüfungen (JSON, UTF-8)</translation>
    </message>
    <message>
        <source>Validation cancelled.</source>
        <translation>Validierung abgebrochen.</translation>
    </message>
    <message>
        <source>Validation could not run: %1</source>
        <translation>Die Validierung konnte nicht ausgeführt werden: %1</translation>
    </message>
    <message>
        <source>basic checks</source>
        <translation>die Grundprüfungen</translation>
    </message>
    <message>
        <source>the rules of %1</source>
        <translation>die Regeln von %1</translation>
    </message>
    <message>
        <source>All %1 rows pass %2.</source>
        <translation>Alle %1 Zeilen bestehen %2.</translation>
    </message>
    <message>
        <source>%1 of %2 rows fail %3; they would become failed records. The selected failing row is shown below its list.</source>
        <translation>%1 von %2 Zeilen bestehen %3 nicht; sie würden zu fehlgeschlagenen Datensätzen. Die ausgewählte fehlerhafte Zeile wird unter der Liste gezeigt.</translation>
    </message>
    <message>
        <source>Datasets</source>
        <translation>Datenbestände</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>%1 wird geöffnet…</translation>
    </message>
    <message>
        <source>opening…</source>
        <translation>wird geöffnet…</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::DemoSetup</name>
    <message>
        <source>Starting the sandbox…</source>
        <translation>Sandbox wird gestartet…</translation>
    </message>
    <message>
        <source>The sandbox did not start: %1</source>
        <translation>Die Sandbox ist nicht gestartet: %1</translation>
    </message>
    <message>
        <source>The demo connection was not saved: %1</source>
        <translation>Die Demo-Verbindung wurde nicht gespeichert: %1</translation>
    </message>
    <message>
        <source>Demo ready: sandbox at %1</source>
        <translation>Demo bereit: Sandbox unter %1</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::FailedRecordsModel</name>
    <message>
        <source>(no code)</source>
        <translation>(kein Code)</translation>
    </message>
    <message>
        <source>May have been delivered (answer lost): %1</source>
        <translation>Möglicherweise zugestellt (Antwort verloren): %1</translation>
    </message>
    <message numerus="yes">
        <source>%n failed row(s), first %1 shown</source>
        <translation>
            <numerusform>%n fehlgeschlagene Zeile, die ersten %1 angezeigt</numerusform>
            <numerusform>%n fehlgeschlagene Zeilen, die ersten %1 angezeigt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed row(s)</source>
        <translation>
            <numerusform>%n fehlgeschlagene Zeile</numerusform>
            <numerusform>%n fehlgeschlagene Zeilen</numerusform>
        </translation>
    </message>
    <message>
        <source>Row %1</source>
        <translation>Zeile %1</translation>
    </message>
    <message>
        <source>Error code / row</source>
        <translation>Fehlercode / Zeile</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>Payload</source>
        <translation>Nutzdaten</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::FailedRecordsPage</name>
    <message>
        <source>&amp;Run:</source>
        <translation>&amp;Lauf:</translation>
    </message>
    <message>
        <source>Retry &amp;selected</source>
        <translation>Ausgewählte &amp;wiederholen</translation>
    </message>
    <message>
        <source>Retry &amp;all</source>
        <translation>All&amp;e wiederholen</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>E&amp;xportieren…</translation>
    </message>
    <message>
        <source>Failed records by error code</source>
        <translation>Fehlgeschlagene Datensätze nach Fehlercode</translation>
    </message>
    <message>
        <source>Failed record detail</source>
        <translation>Details des fehlgeschlagenen Datensatzes</translation>
    </message>
    <message>
        <source>Export failed records</source>
        <translation>Fehlgeschlagene Datensätze exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Loading the failed records of run %1…</source>
        <translation>Fehlgeschlagene Datensätze von Lauf %1 werden geladen…</translation>
    </message>
    <message numerus="yes">
        <source>Run %1: %n record(s) still failed.</source>
        <translation>
            <numerusform>Lauf %1: %n Datensatz weiterhin fehlgeschlagen.</numerusform>
            <numerusform>Lauf %1: %n Datensätze weiterhin fehlgeschlagen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Run %1 has no failed records left.</source>
        <translation>Lauf %1 hat keine fehlgeschlagenen Datensätze mehr.</translation>
    </message>
    <message>
        <source>Error code %1: select a record to see its payload and attempts.</source>
        <translation>Fehlercode %1: Wählen Sie einen Datensatz, um seine Nutzdaten und Versuche zu sehen.</translation>
    </message>
    <message>
        <source>Row %1 (source offset %2)</source>
        <translation>Zeile %1 (Quell-Offset %2)</translation>
    </message>
    <message>
        <source>Code: %1</source>
        <translation>Code: %1</translation>
    </message>
    <message>
        <source>Message: %1</source>
        <translation>Meldung: %1</translation>
    </message>
    <message>
        <source>Attempts: %1 (first %2, last %3)</source>
        <translation>Versuche: %1 (erster %2, letzter %3)</translation>
    </message>
    <message>
        <source>Payload:</source>
        <translation>Nutzdaten:</translation>
    </message>
    <message>
        <source>Starting a retry of run %1…</source>
        <translation>Wiederholung von Lauf %1 wird gestartet…</translation>
    </message>
    <message>
        <source>The secret could not be read: %1</source>
        <translation>Das Geheimnis konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>The retry did not start: %1</source>
        <translation>Die Wiederholung ist nicht gestartet: %1</translation>
    </message>
    <message>
        <source>Retry of run %1 started; follow it in the Run monitor.</source>
        <translation>Wiederholung von Lauf %1 gestartet; verfolgen Sie sie in der Laufüberwachung.</translation>
    </message>
    <message>
        <source>Failed records exported to %1.</source>
        <translation>Fehlgeschlagene Datensätze nach %1 exportiert.</translation>
    </message>
    <message>
        <source>Nothing was exported to %1: %2</source>
        <translation>Nichts wurde nach %1 exportiert: %2</translation>
    </message>
    <message>
        <source>Failed records</source>
        <translation>Fehlgeschlagene Datensätze</translation>
    </message>
    <message>
        <source>Run with failed records</source>
        <translation>Lauf mit fehlgeschlagenen Datensätzen</translation>
    </message>
    <message>
        <source>no run has failed records</source>
        <translation>kein Lauf hat fehlgeschlagene Datensätze</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>%1 (retry of run %2)</source>
        <translation>%1 (Wiederholung von Lauf %2)</translation>
    </message>
    <message numerus="yes">
        <source>Run %1 · %2 · %3 · %n failed</source>
        <translation>
            <numerusform>Lauf %1 · %2 · %3 · %n fehlgeschlagen</numerusform>
            <numerusform>Lauf %1 · %2 · %3 · %n fehlgeschlagen</numerusform>
        </translation>
    </message>
    <message>
        <source>Run %1 · %2 · %3 · no failed records left</source>
        <translation>Lauf %1 · %2 · %3 · keine fehlgeschlagenen Datensätze mehr</translation>
    </message>
    <message>
        <source>Looking for runs with failed records…</source>
        <translation>Läufe mit fehlgeschlagenen Datensätzen werden gesucht…</translation>
    </message>
    <message>
        <source>%1 to %2 &apos;%3&apos;, %4</source>
        <translation>%1 nach %2 „%3“, %4</translation>
    </message>
    <message>
        <source>an upload</source>
        <translation>ein Upload</translation>
    </message>
    <message>
        <source>No run has failed records. A run&apos;s rows that the service refuses, or that cannot be read, are listed here.</source>
        <translation>Kein Lauf hat fehlgeschlagene Datensätze. Zeilen eines Laufs, die der Dienst ablehnt oder die nicht gelesen werden können, werden hier aufgeführt.</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::HistoryPage</name>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Phase</translation>
    </message>
    <message>
        <source>Data date</source>
        <translation>Datendatum</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Zugestellt</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Gelesen</translation>
    </message>
    <message>
        <source>Parent</source>
        <translation>Ursprung</translation>
    </message>
    <message>
        <source>Request id</source>
        <translation>Anfrage-ID</translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation>Versuch</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Latency (ms)</source>
        <translation>Latenz (ms)</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Datensätze</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Zeilen</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>Filter by stream</source>
        <translation>Nach Stream filtern</translation>
    </message>
    <message>
        <source>Filter by stage</source>
        <translation>Nach Phase filtern</translation>
    </message>
    <message>
        <source>All stages</source>
        <translation>Alle Phasen</translation>
    </message>
    <message>
        <source>Filter by state</source>
        <translation>Nach Zustand filtern</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>Alle Zustände</translation>
    </message>
    <message>
        <source>Created bet&amp;ween</source>
        <translation>Erstellt &amp;zwischen</translation>
    </message>
    <message>
        <source>From date</source>
        <translation>Von Datum</translation>
    </message>
    <message>
        <source>To date</source>
        <translation>Bis Datum</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>Reconciliation report</source>
        <translation>Abgleichsbericht</translation>
    </message>
    <message>
        <source>&amp;Report</source>
        <translation>Be&amp;richt</translation>
    </message>
    <message>
        <source>Batches of the run</source>
        <translation>Stapel des Laufs</translation>
    </message>
    <message>
        <source>Expor&amp;t batches…</source>
        <translation>Stapel expor&amp;tieren…</translation>
    </message>
    <message>
        <source>&amp;Batches</source>
        <translation>&amp;Stapel</translation>
    </message>
    <message>
        <source>E&amp;xport runs…</source>
        <translation>Läufe e&amp;xportieren…</translation>
    </message>
    <message>
        <source>F&amp;ailed records…</source>
        <translation>&amp;Fehlgeschlagene Datensätze…</translation>
    </message>
    <message>
        <source>Re&amp;sume run</source>
        <translation>Lauf f&amp;ortsetzen</translation>
    </message>
    <message>
        <source>The secret could not be read: %1</source>
        <translation>Das Geheimnis konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Run %1 cannot be resumed: %2</source>
        <translation>Lauf %1 kann nicht fortgesetzt werden: %2</translation>
    </message>
    <message>
        <source>Export runs</source>
        <translation>Läufe exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Export batches</source>
        <translation>Stapel exportieren</translation>
    </message>
    <message>
        <source>All streams</source>
        <translation>Alle Streams</translation>
    </message>
    <message>
        <source>The history could not be loaded: %1</source>
        <translation>Der Verlauf konnte nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>Newest 2000 runs shown; narrow the filters to see older ones.</source>
        <translation>Die neuesten 2000 Läufe werden angezeigt; schränken Sie die Filter ein, um ältere zu sehen.</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s).</source>
        <translation>
            <numerusform>%n Lauf.</numerusform>
            <numerusform>%n Läufe.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) exported to %1.</source>
        <translation>
            <numerusform>%n Zeile nach %1 exportiert.</numerusform>
            <numerusform>%n Zeilen nach %1 exportiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was exported to %1: %2. Choose a folder you can write to.</source>
        <translation>Nichts wurde nach %1 exportiert: %2. Wählen Sie einen Ordner, in den Sie schreiben dürfen.</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Bediener</translation>
    </message>
    <message>
        <source>Filter by operator</source>
        <translation>Nach Bediener filtern</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>Meine</translation>
    </message>
    <message>
        <source>Mine: the runs started as %1</source>
        <translation>Meine: die als %1 gestarteten Läufe</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::JobsPage</name>
    <message>
        <source>Load this date again?</source>
        <translation>Dieses Datum erneut laden?</translation>
    </message>
    <message>
        <source>What and where</source>
        <translation>Was und wohin</translation>
    </message>
    <message>
        <source>Dataset of the job</source>
        <translation>Datenbestand des Auftrags</translation>
    </message>
    <message>
        <source>Dataset:</source>
        <translation>Datenbestand:</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>&amp;Connection:</source>
        <translation>&amp;Verbindung:</translation>
    </message>
    <message>
        <source>Stream</source>
        <translation>Stream</translation>
    </message>
    <message>
        <source>St&amp;ream:</source>
        <translation>St&amp;ream:</translation>
    </message>
    <message>
        <source>Sync stage</source>
        <translation>Synchronisationsphase</translation>
    </message>
    <message>
        <source>S&amp;tage:</source>
        <translation>Phas&amp;e:</translation>
    </message>
    <message>
        <source>Requests in flight at most</source>
        <translation>Höchstens gleichzeitig laufende Anfragen</translation>
    </message>
    <message>
        <source>Co&amp;ncurrency:</source>
        <translation>&amp;Nebenläufigkeit:</translation>
    </message>
    <message>
        <source>Attempts per record</source>
        <translation>Versuche pro Datensatz</translation>
    </message>
    <message>
        <source>&amp;Attempts per record:</source>
        <translation>Vers&amp;uche pro Datensatz:</translation>
    </message>
    <message>
        <source>&amp;Plan</source>
        <translation>&amp;Planen</translation>
    </message>
    <message>
        <source>Cancel plan</source>
        <translation>Planung abbrechen</translation>
    </message>
    <message>
        <source>&amp;Start run</source>
        <translation>Lauf &amp;starten</translation>
    </message>
    <message>
        <source>Planning</source>
        <translation>Planung</translation>
    </message>
    <message>
        <source>Plan of the job</source>
        <translation>Plan des Auftrags</translation>
    </message>
    <message>
        <source>Stage rules</source>
        <translation>Phasenregeln</translation>
    </message>
    <message>
        <source>Data date</source>
        <translation>Datendatum</translation>
    </message>
    <message>
        <source>No %1 date loaded yet for this stream.</source>
        <translation>Für diesen Stream wurde noch kein %1-Datum geladen.</translation>
    </message>
    <message numerus="yes">
        <source>Underlined: %n date(s) already loaded with %1.</source>
        <translation>
            <numerusform>Unterstrichen: %n Datum bereits mit %1 geladen.</numerusform>
            <numerusform>Unterstrichen: %n Daten bereits mit %1 geladen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Also loaded: %1.</source>
        <translation>Ebenfalls geladen: %1.</translation>
    </message>
    <message>
        <source>None: open one on the Datasets page (Ctrl+O).</source>
        <translation>Keiner: Öffnen Sie einen auf der Seite „Datenbestände“ (Strg+O).</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>sent as read</source>
        <translation>wie gelesen gesendet</translation>
    </message>
    <message numerus="yes">
        <source>mapped: %n column rule(s)</source>
        <translation>
            <numerusform>zugeordnet: %n Spaltenregel</numerusform>
            <numerusform>zugeordnet: %n Spaltenregeln</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 was already loaded with %2 on this stream: starting asks for confirmation.</source>
        <translation>%1 wurde auf diesem Stream bereits mit %2 geladen: Beim Start wird eine Bestätigung verlangt.</translation>
    </message>
    <message>
        <source>Streaming: no data date. Daily data must be loaded before streaming starts on a topic.</source>
        <translation>Streaming: kein Datendatum. Tagesdaten müssen geladen sein, bevor das Streaming zu einem Thema beginnt.</translation>
    </message>
    <message>
        <source>Planning: reading, mapping, validating and encoding the whole dataset…</source>
        <translation>Planung: Der gesamte Datenbestand wird gelesen, zugeordnet, validiert und kodiert…</translation>
    </message>
    <message>
        <source>Planning %1…</source>
        <translation>%1 wird geplant…</translation>
    </message>
    <message>
        <source>The secret could not be read: %1</source>
        <translation>Das Geheimnis konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Planning cancelled.</source>
        <translation>Planung abgebrochen.</translation>
    </message>
    <message>
        <source>The job cannot be planned: %1</source>
        <translation>Der Auftrag kann nicht geplant werden: %1</translation>
    </message>
    <message>
        <source>The stage rules refuse this run: %1</source>
        <translation>Die Phasenregeln lehnen diesen Lauf ab: %1</translation>
    </message>
    <message>
        <source>Not started: %1</source>
        <translation>Nicht gestartet: %1</translation>
    </message>
    <message>
        <source>The secret of &apos;%1&apos; could not be read: %2</source>
        <translation>Das Geheimnis von „%1“ konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Run started.</source>
        <translation>Lauf gestartet.</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Aufträge</translation>
    </message>
    <message>
        <source>Offline stage: pick the date of the data.</source>
        <translation>Offline-Phase: Wählen Sie das Datum der Daten.</translation>
    </message>
    <message>
        <source>Start streaming on this topic?</source>
        <translation>Streaming auf diesem Thema starten?</translation>
    </message>
    <message>
        <source>&apos;%1&apos; has no daily data yet. Once streaming starts on it, %2 loads are refused on it for good: load its daily data first if it will ever need any. Start streaming anyway?</source>
        <translation>„%1“ hat noch keine Tagesdaten. Sobald das Streaming darauf beginnt, werden %2-Ladevorgänge darauf dauerhaft abgelehnt: Laden Sie zuerst seine Tagesdaten, falls es je welche braucht. Streaming trotzdem starten?</translation>
    </message>
    <message>
        <source>Not started: streaming on &apos;%1&apos; would rule out its daily loads.</source>
        <translation>Nicht gestartet: Streaming auf „%1“ würde seine täglichen Ladevorgänge ausschließen.</translation>
    </message>
    <message>
        <source>%1 rows (%2 valid, %3 invalid) in %4 requests, %5.</source>
        <translation>%1 Zeilen (%2 gültig, %3 ungültig) in %4 Anfragen, %5.</translation>
    </message>
    <message>
        <source>Nothing to send.</source>
        <translation>Nichts zu senden.</translation>
    </message>
    <message>
        <source>No rate limit set: as fast as the service answers.</source>
        <translation>Keine Ratenbegrenzung gesetzt: so schnell, wie der Dienst antwortet.</translation>
    </message>
    <message>
        <source>requests per second</source>
        <translation>Anfragen pro Sekunde</translation>
    </message>
    <message>
        <source>records per second</source>
        <translation>Datensätze pro Sekunde</translation>
    </message>
    <message>
        <source>bytes per second</source>
        <translation>Bytes pro Sekunde</translation>
    </message>
    <message>
        <source>At least %1 at the stream&apos;s rate limits (limited by %2).</source>
        <translation>Mindestens %1 bei den Ratengrenzen des Streams (begrenzt durch %2).</translation>
    </message>
    <message>
        <source>Run on &amp;workers</source>
        <translation>Auf &amp;Workern ausführen</translation>
    </message>
    <message>
        <source>Cuts the dataset into work units recorded in the catalog. This window works as the first worker; other machines join the run with &quot;syncdesk-cli worker --run ID&quot; (the run&apos;s id is shown in its log on the Run monitor once it starts).</source>
        <translation>Zerlegt den Datenbestand in Arbeitseinheiten, die im Katalog festgehalten werden. Dieses Fenster arbeitet als erster Worker; andere Rechner treten dem Lauf mit „syncdesk-cli worker --run ID“ bei (die ID des Laufs steht nach dem Start in seinem Protokoll in der Laufüberwachung).</translation>
    </message>
    <message>
        <source>&amp;Units:</source>
        <translation>Einhei&amp;ten:</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>Work units</source>
        <translation>Arbeitseinheiten</translation>
    </message>
    <message>
        <source>How many work units to cut the dataset into. Automatic: about 250,000 rows or 64 MiB each.</source>
        <translation>In wie viele Arbeitseinheiten der Datenbestand zerlegt wird. Automatisch: je etwa 250.000 Zeilen oder 64 MiB.</translation>
    </message>
    <message>
        <source>%1 sends a sample of the dataset: it is not cut into work units. Clear &quot;Run on workers&quot; to run it here.</source>
        <translation>%1 sendet eine Stichprobe des Datenbestands: Sie wird nicht in Arbeitseinheiten zerlegt. Entfernen Sie das Häkchen bei „Auf Workern ausführen“, um sie hier auszuführen.</translation>
    </message>
    <message>
        <source>Run started on workers: it is being cut into work units.</source>
        <translation>Lauf auf Workern gestartet: Er wird in Arbeitseinheiten zerlegt.</translation>
    </message>
    <message>
        <source>Run %1 started on workers. Other machines join it with: syncdesk-cli worker --run %1</source>
        <translation>Lauf %1 auf Workern gestartet. Andere Rechner treten ihm bei mit: syncdesk-cli worker --run %1</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::MainWindow</name>
    <message>
        <source>Pages</source>
        <translation>Seiten</translation>
    </message>
    <message>
        <source>Current activity</source>
        <translation>Aktuelle Aktivität</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open dataset…</source>
        <translation>Datenbestand ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open &amp;SQL source…</source>
        <translation>&amp;SQL-Quelle öffnen…</translation>
    </message>
    <message>
        <source>&amp;Recent datasets</source>
        <translation>&amp;Zuletzt verwendete Datenbestände</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>A&amp;ktualisieren</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About SyncDesk</source>
        <translation>&amp;Über SyncDesk</translation>
    </message>
    <message>
        <source>About SyncDesk</source>
        <translation>Über SyncDesk</translation>
    </message>
    <message>
        <source>&lt;b&gt;SyncDesk&lt;/b&gt; %1&lt;br&gt;Uploads datasets to ingestion services through a batching engine.</source>
        <translation>&lt;b&gt;SyncDesk&lt;/b&gt; %1&lt;br&gt;Lädt Datenbestände über eine Stapelverarbeitung zu Ingestion-Diensten hoch.</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Hauptsymbolleiste</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) in progress</source>
        <translation>
            <numerusform>%n Lauf aktiv</numerusform>
            <numerusform>%n Läufe aktiv</numerusform>
        </translation>
    </message>
    <message>
        <source>Secrets: this session only</source>
        <translation>Geheimnisse: nur für diese Sitzung</translation>
    </message>
    <message>
        <source>Quit SyncDesk</source>
        <translation>SyncDesk beenden</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) still in progress. Quit anyway? They are checkpointed and can be resumed from the history.</source>
        <translation>
            <numerusform>%n Lauf ist noch aktiv. Trotzdem beenden? Er ist gesichert und kann im Verlauf fortgesetzt werden.</numerusform>
            <numerusform>%n Läufe sind noch aktiv. Trotzdem beenden? Sie sind gesichert und können im Verlauf fortgesetzt werden.</numerusform>
        </translation>
    </message>
    <message>
        <source>SyncDesk – %1</source>
        <translation>SyncDesk – %1</translation>
    </message>
    <message>
        <source>Catalog: %1</source>
        <translation>Katalog: %1</translation>
    </message>
    <message>
        <source>Catalog</source>
        <translation>Katalog</translation>
    </message>
    <message>
        <source>&amp;Catalog…</source>
        <translation>&amp;Katalog…</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) in progress write to this catalog. Pause or cancel them before switching to another catalog.</source>
        <translation>
            <numerusform>%n Lauf schreibt gerade in diesen Katalog. Pausieren oder brechen Sie ihn ab, bevor Sie zu einem anderen Katalog wechseln.</numerusform>
            <numerusform>%n Läufe schreiben gerade in diesen Katalog. Pausieren oder brechen Sie sie ab, bevor Sie zu einem anderen Katalog wechseln.</numerusform>
        </translation>
    </message>
    <message>
        <source>no secret was entered for &apos;%1&apos;</source>
        <translation>für „%1“ wurde kein Geheimnis eingegeben</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::RowErrorView</name>
    <message>
        <source>Failing row details</source>
        <translation>Details der fehlerhaften Zeile</translation>
    </message>
    <message>
        <source>The failing row as read</source>
        <translation>Die fehlerhafte Zeile, wie sie gelesen wurde</translation>
    </message>
    <message>
        <source>Select a failing row to see it here, with the field at fault marked.</source>
        <translation>Wählen Sie eine fehlerhafte Zeile, um sie hier mit dem markierten fehlerhaften Feld zu sehen.</translation>
    </message>
    <message>
        <source>row %1</source>
        <translation>Zeile %1</translation>
    </message>
    <message>
        <source>line %1</source>
        <translation>Dateizeile %1</translation>
    </message>
    <message>
        <source>field &apos;%1&apos;</source>
        <translation>Feld „%1“</translation>
    </message>
    <message>
        <source>rule %1</source>
        <translation>Regel %1</translation>
    </message>
    <message>
        <source>The row in the file:</source>
        <translation>Die Zeile in der Datei:</translation>
    </message>
    <message>
        <source>The record as read, in JSON (the file&apos;s line cannot be shown):</source>
        <translation>Der Datensatz wie gelesen, als JSON (die Zeile der Datei kann nicht gezeigt werden):</translation>
    </message>
    <message>
        <source>the field &apos;%1&apos; is not in it.</source>
        <translation>Das Feld „%1“ ist nicht darin enthalten.</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::RunMonitorPage</name>
    <message>
        <source>No run in progress. Start one from the Jobs page.</source>
        <translation>Kein Lauf aktiv. Starten Sie einen auf der Seite „Aufträge“.</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>Run (starting)</source>
        <translation>Lauf (startet)</translation>
    </message>
    <message>
        <source>Run monitor</source>
        <translation>Laufüberwachung</translation>
    </message>
    <message>
        <source>Driven by other processes on this catalog</source>
        <translation>Von anderen Prozessen auf diesem Katalog gesteuert</translation>
    </message>
    <message>
        <source>Runs driven by other processes</source>
        <translation>Von anderen Prozessen gesteuerte Läufe</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Started by</source>
        <translation>Gestartet von</translation>
    </message>
    <message>
        <source>Driven by</source>
        <translation>Gesteuert von</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Delivered / read</source>
        <translation>Zugestellt / gelesen</translation>
    </message>
    <message>
        <source>Rows/s</source>
        <translation>Zeilen/s</translation>
    </message>
    <message>
        <source>Last checkpoint</source>
        <translation>Letzter Prüfpunkt</translation>
    </message>
    <message>
        <source>nobody (interrupted: resume it from History)</source>
        <translation>niemand (unterbrochen: im Verlauf fortsetzen)</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>lease until %1</source>
        <translation>Lease bis %1</translation>
    </message>
    <message>
        <source>workers: %1</source>
        <translation>Worker: %1</translation>
    </message>
    <message>
        <source>nobody (waiting for workers)</source>
        <translation>niemand (wartet auf Worker)</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::RunState</name>
    <message>
        <source>Queued</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <source>Retrying</source>
        <translation>Wiederholt</translation>
    </message>
    <message>
        <source>Finishing</source>
        <translation>Wird beendet</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <source>Completed with failures</source>
        <translation>Abgeschlossen mit Fehlern</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::RunView</name>
    <message>
        <source>Run state</source>
        <translation>Zustand des Laufs</translation>
    </message>
    <message>
        <source>Run progress</source>
        <translation>Fortschritt des Laufs</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pausieren</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>Abbre&amp;chen</translation>
    </message>
    <message>
        <source>H&amp;istory</source>
        <translation>&amp;Verlauf</translation>
    </message>
    <message>
        <source>Clo&amp;se</source>
        <translation>&amp;Schließen</translation>
    </message>
    <message>
        <source>Run counters</source>
        <translation>Zähler des Laufs</translation>
    </message>
    <message>
        <source>Rates and ETA</source>
        <translation>Raten und Restzeit</translation>
    </message>
    <message>
        <source>rows/s</source>
        <translation>Zeilen/s</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>Sekunden</translation>
    </message>
    <message>
        <source>Throughput chart</source>
        <translation>Durchsatzdiagramm</translation>
    </message>
    <message>
        <source>Run log</source>
        <translation>Protokoll des Laufs</translation>
    </message>
    <message>
        <source>Notable events of the run appear here.</source>
        <translation>Wichtige Ereignisse des Laufs erscheinen hier.</translation>
    </message>
    <message>
        <source>Resume requested.</source>
        <translation>Fortsetzen angefordert.</translation>
    </message>
    <message>
        <source>Pause requested.</source>
        <translation>Pause angefordert.</translation>
    </message>
    <message>
        <source>Cancel requested: the run stops after the requests in flight and can be resumed.</source>
        <translation>Abbruch angefordert: Der Lauf stoppt nach den laufenden Anfragen und kann fortgesetzt werden.</translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>Lauf %1</translation>
    </message>
    <message>
        <source>%1 rows</source>
        <translation>%1 Zeilen</translation>
    </message>
    <message>
        <source>Read %1 · valid %2 · delivered %3 · failed %4 · skipped %5 · sent %6 in %7 requests (%8) · duplicates %9</source>
        <translation>Gelesen %1 · gültig %2 · zugestellt %3 · fehlgeschlagen %4 · übersprungen %5 · gesendet %6 in %7 Anfragen (%8) · Duplikate %9</translation>
    </message>
    <message>
        <source>%1 rows/s · %2/s · %3 in flight (concurrency %4) · ETA %5</source>
        <translation>%1 Zeilen/s · %2/s · %3 laufend (Nebenläufigkeit %4) · Restzeit %5</translation>
    </message>
    <message>
        <source>Paused: the service refused the credentials (%1). Fix the connection&apos;s secret, then resume.</source>
        <translation>Pausiert: Der Dienst hat die Zugangsdaten abgelehnt (%1). Korrigieren Sie das Geheimnis der Verbindung und setzen Sie dann fort.</translation>
    </message>
    <message>
        <source>Run %1 ended: %2.</source>
        <translation>Lauf %1 beendet: %2.</translation>
    </message>
    <message>
        <source>Run %1 (%2)</source>
        <translation>Lauf %1 (%2)</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>F&amp;ailed records</source>
        <translation>Fehlgeschlagene Da&amp;tensätze</translation>
    </message>
    <message>
        <source>Show this run&apos;s failed records, to read why and retry them</source>
        <translation>Die fehlgeschlagenen Datensätze dieses Laufs zeigen, um die Gründe zu lesen und sie erneut zu senden</translation>
    </message>
    <message>
        <source>Paused · %1 requests in flight</source>
        <translation>Pausiert · %1 Anfragen unterwegs</translation>
    </message>
    <message>
        <source>Stopping · waiting for %1 requests in flight</source>
        <translation>Wird angehalten · wartet auf %1 Anfragen unterwegs</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Startet …</translation>
    </message>
    <message>
        <source>%1 · %2 rows delivered in %3 (%4 rows/s on average)</source>
        <translation>%1 · %2 Zeilen in %3 zugestellt (im Mittel %4 Zeilen/s)</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>MiB/s</source>
        <translation>MiB/s</translation>
    </message>
    <message>
        <source>Run %1 is cut into %2 work units in the catalog; this window works as one of its workers. Other machines join with: syncdesk-cli worker --run %1</source>
        <translation>Lauf %1 ist im Katalog in %2 Arbeitseinheiten zerlegt; dieses Fenster arbeitet als einer seiner Worker. Andere Rechner treten bei mit: syncdesk-cli worker --run %1</translation>
    </message>
    <message>
        <source>This window&apos;s current unit: %1</source>
        <translation>Aktuelle Einheit dieses Fensters: %1</translation>
    </message>
    <message>
        <source>%1 · %2 rows delivered by its workers</source>
        <translation>%1 · %2 Zeilen von seinen Workern zugestellt</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::SandboxPage</name>
    <message>
        <source>Service</source>
        <translation>Dienst</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Datensätze</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Empfangen</translation>
    </message>
    <message>
        <source>Record id</source>
        <translation>Datensatz-ID</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Partition</source>
        <translation>Partition</translation>
    </message>
    <message>
        <source>Sequence</source>
        <translation>Sequenz</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <source>Sandbox status</source>
        <translation>Status der Sandbox</translation>
    </message>
    <message>
        <source>&amp;Start sandbox and demo connection</source>
        <translation>Sandbox und Demo-Verbindung &amp;starten</translation>
    </message>
    <message>
        <source>Sandbox streams</source>
        <translation>Streams der Sandbox</translation>
    </message>
    <message>
        <source>Fault profile (applied live)</source>
        <translation>Fehlerprofil (sofort wirksam)</translation>
    </message>
    <message>
        <source>&amp;Apply faults</source>
        <translation>Fehler anwe&amp;nden</translation>
    </message>
    <message>
        <source>&amp;No faults</source>
        <translation>&amp;Keine Fehler</translation>
    </message>
    <message>
        <source>F&amp;laky</source>
        <translation>&amp;Unzuverlässig</translation>
    </message>
    <message>
        <source>5% per-record failures, 5% server errors, 20-40 ms latency</source>
        <translation>5 % Fehler pro Datensatz, 5 % Serverfehler, 20–40 ms Latenz</translation>
    </message>
    <message>
        <source>Select a stream to see what it received.</source>
        <translation>Wählen Sie einen Stream, um zu sehen, was er empfangen hat.</translation>
    </message>
    <message>
        <source>&amp;Previous</source>
        <translation>&amp;Zurück</translation>
    </message>
    <message>
        <source>Ne&amp;xt</source>
        <translation>&amp;Weiter</translation>
    </message>
    <message>
        <source>Records received</source>
        <translation>Empfangene Datensätze</translation>
    </message>
    <message>
        <source>DIS read-back (GetCursor + GetRecords)</source>
        <translation>DIS-Rücklesen (GetCursor + GetRecords)</translation>
    </message>
    <message>
        <source>partition </source>
        <translation>Partition </translation>
    </message>
    <message>
        <source>DIS partition</source>
        <translation>DIS-Partition</translation>
    </message>
    <message>
        <source>Cursor type</source>
        <translation>Cursor-Typ</translation>
    </message>
    <message>
        <source>&amp;Read partition</source>
        <translation>Partition &amp;lesen</translation>
    </message>
    <message>
        <source>DIS records read back</source>
        <translation>Zurückgelesene DIS-Datensätze</translation>
    </message>
    <message>
        <source>Select a DIS stream, then read a partition.</source>
        <translation>Wählen Sie einen DIS-Stream und lesen Sie dann eine Partition.</translation>
    </message>
    <message>
        <source>The sandbox runs at %1 (loopback only). It speaks Firehose, Stitch, Segment, byteair, DIS and HTTP JSON with their demo credentials.</source>
        <translation>Die Sandbox läuft unter %1 (nur Loopback). Sie spricht Firehose, Stitch, Segment, byteair, DIS und HTTP-JSON mit deren Demo-Zugangsdaten.</translation>
    </message>
    <message>
        <source>The sandbox is not running. Start it to try an upload without an account (the same as syncdesk --demo).</source>
        <translation>Die Sandbox läuft nicht. Starten Sie sie, um einen Upload ohne Konto auszuprobieren (wie syncdesk --demo).</translation>
    </message>
    <message>
        <source>The sandbox did not answer: %1</source>
        <translation>Die Sandbox hat nicht geantwortet: %1</translation>
    </message>
    <message>
        <source>Records of %1 could not be read: %2</source>
        <translation>Die Datensätze von %1 konnten nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 / %2: records %3-%4 of %5</source>
        <translation>%1 / %2: Datensätze %3–%4 von %5</translation>
    </message>
    <message>
        <source>Select a DIS stream in the list first.</source>
        <translation>Wählen Sie zuerst einen DIS-Stream in der Liste.</translation>
    </message>
    <message>
        <source>Read-back of %1 partition %2 failed: %3</source>
        <translation>Rücklesen von %1, Partition %2 fehlgeschlagen: %3</translation>
    </message>
    <message numerus="yes">
        <source>%1, partition %2: %n record(s) in the first page</source>
        <translation>
            <numerusform>%1, Partition %2: %n Datensatz auf der ersten Seite</numerusform>
            <numerusform>%1, Partition %2: %n Datensätze auf der ersten Seite</numerusform>
        </translation>
    </message>
    <message>
        <source>cursor: %1</source>
        <translation>Cursor: %1</translation>
    </message>
    <message>
        <source>next cursor: %1</source>
        <translation>nächster Cursor: %1</translation>
    </message>
    <message>
        <source>Start the sandbox first.</source>
        <translation>Starten Sie zuerst die Sandbox.</translation>
    </message>
    <message>
        <source>The fault profile was refused: %1</source>
        <translation>Das Fehlerprofil wurde abgelehnt: %1</translation>
    </message>
    <message>
        <source>Applied: %1% record failures, %2% server errors.</source>
        <translation>Angewendet: %1 % Datensatzfehler, %2 % Serverfehler.</translation>
    </message>
    <message>
        <source>Sandbox</source>
        <translation>Sandbox</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::ScreenshotTour</name>
    <message>
        <source>%1 could not be written.</source>
        <translation>%1 konnte nicht geschrieben werden.</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::SqlSourceDialog</name>
    <message>
        <source>SQL source</source>
        <translation>SQL-Quelle</translation>
    </message>
    <message>
        <source>SQLite file</source>
        <translation>SQLite-Datei</translation>
    </message>
    <message>
        <source>PostgreSQL</source>
        <translation>PostgreSQL</translation>
    </message>
    <message>
        <source>MySQL / MariaDB</source>
        <translation>MySQL / MariaDB</translation>
    </message>
    <message>
        <source>Database driver</source>
        <translation>Datenbanktreiber</translation>
    </message>
    <message>
        <source>&amp;Driver:</source>
        <translation>&amp;Treiber:</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>file path (SQLite) or database name</source>
        <translation>Dateipfad (SQLite) oder Datenbankname</translation>
    </message>
    <message>
        <source>Data&amp;base:</source>
        <translation>Daten&amp;bank:</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Host:</translation>
    </message>
    <message>
        <source>default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>Ben&amp;utzer:</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>kept for this session only</source>
        <translation>nur für diese Sitzung gespeichert</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>Pass&amp;wort:</translation>
    </message>
    <message>
        <source>Query</source>
        <translation>Abfrage</translation>
    </message>
    <message>
        <source>&amp;Query:</source>
        <translation>&amp;Abfrage:</translation>
    </message>
    <message>
        <source>Cursor column</source>
        <translation>Cursor-Spalte</translation>
    </message>
    <message>
        <source>streaming only: a growing column, e.g. id</source>
        <translation>nur Streaming: eine wachsende Spalte, z. B. id</translation>
    </message>
    <message>
        <source>&amp;Cursor column:</source>
        <translation>&amp;Cursor-Spalte:</translation>
    </message>
    <message>
        <source>Enter the database and the query whose rows are the dataset.</source>
        <translation>Geben Sie die Datenbank und die Abfrage ein, deren Zeilen den Datenbestand bilden.</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::StreamDialog</name>
    <message>
        <source>Edit stream</source>
        <translation>Stream bearbeiten</translation>
    </message>
    <message>
        <source>Add stream</source>
        <translation>Stream hinzufügen</translation>
    </message>
    <message>
        <source>Stream display name</source>
        <translation>Anzeigename des Streams</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>comma separated, e.g. id, user_id</source>
        <translation>durch Kommas getrennt, z. B. id, user_id</translation>
    </message>
    <message>
        <source>Key names</source>
        <translation>Schlüsselnamen</translation>
    </message>
    <message>
        <source>&amp;Key names:</source>
        <translation>Schlüssel&amp;namen:</translation>
    </message>
    <message>
        <source>Service limits: %1.</source>
        <translation>Grenzen des Dienstes: %1.</translation>
    </message>
    <message>
        <source>service maximum (%1)</source>
        <translation>Höchstwert des Dienstes (%1)</translation>
    </message>
    <message>
        <source>Records per request</source>
        <translation>Datensätze pro Anfrage</translation>
    </message>
    <message>
        <source>&amp;Records per request:</source>
        <translation>&amp;Datensätze pro Anfrage:</translation>
    </message>
    <message>
        <source> KiB</source>
        <translation> KiB</translation>
    </message>
    <message>
        <source>Bytes per request</source>
        <translation>Bytes pro Anfrage</translation>
    </message>
    <message>
        <source>&amp;Bytes per request:</source>
        <translation>&amp;Bytes pro Anfrage:</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>service default</source>
        <translation>Standard des Dienstes</translation>
    </message>
    <message>
        <source>Linger time</source>
        <translation>Wartezeit</translation>
    </message>
    <message>
        <source>&amp;Linger:</source>
        <translation>&amp;Wartezeit:</translation>
    </message>
    <message>
        <source> req/s</source>
        <translation> Anfr./s</translation>
    </message>
    <message>
        <source>Requests per second</source>
        <translation>Anfragen pro Sekunde</translation>
    </message>
    <message>
        <source>Re&amp;quests/s:</source>
        <translation>An&amp;fragen/s:</translation>
    </message>
    <message>
        <source> records/s</source>
        <translation> Datensätze/s</translation>
    </message>
    <message>
        <source>Records per second</source>
        <translation>Datensätze pro Sekunde</translation>
    </message>
    <message>
        <source>Recor&amp;ds/s:</source>
        <translation>Datensät&amp;ze/s:</translation>
    </message>
    <message>
        <source> KiB/s</source>
        <translation> KiB/s</translation>
    </message>
    <message>
        <source>Kibibytes per second</source>
        <translation>Kibibyte pro Sekunde</translation>
    </message>
    <message>
        <source>By&amp;tes/s:</source>
        <translation>By&amp;tes/s:</translation>
    </message>
    <message>
        <source>Enter the name the service knows this stream by.</source>
        <translation>Geben Sie den Namen ein, unter dem der Dienst diesen Stream kennt.</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::StreamsPage</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Stapel</translation>
    </message>
    <message>
        <source>%1 records</source>
        <translation>%1 Datensätze</translation>
    </message>
    <message>
        <source>max</source>
        <translation>max.</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Rate</translation>
    </message>
    <message>
        <source>%1 records/s</source>
        <translation>%1 Datensätze/s</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>&amp;Connection:</source>
        <translation>&amp;Verbindung:</translation>
    </message>
    <message>
        <source>Saved streams</source>
        <translation>Gespeicherte Streams</translation>
    </message>
    <message>
        <source>&amp;Add stream…</source>
        <translation>Stream hin&amp;zufügen…</translation>
    </message>
    <message>
        <source>Ed&amp;it…</source>
        <translation>Bearbe&amp;iten…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Firehose delivery streams on the service</source>
        <translation>Firehose-Delivery-Streams beim Dienst</translation>
    </message>
    <message>
        <source>Delivery streams on the service</source>
        <translation>Delivery-Streams beim Dienst</translation>
    </message>
    <message>
        <source>&amp;List</source>
        <translation>Auf&amp;listen</translation>
    </message>
    <message>
        <source>Create…</source>
        <translation>Erstellen…</translation>
    </message>
    <message>
        <source>&amp;Describe</source>
        <translation>Be&amp;schreiben</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Löschen…</translation>
    </message>
    <message>
        <source>Stream description</source>
        <translation>Beschreibung des Streams</translation>
    </message>
    <message>
        <source>%1 limits: %2.</source>
        <translation>Grenzen von %1: %2.</translation>
    </message>
    <message>
        <source>Add a connection first.</source>
        <translation>Fügen Sie zuerst eine Verbindung hinzu.</translation>
    </message>
    <message>
        <source>The stream &apos;%1&apos; was not saved: %2</source>
        <translation>Der Stream „%1“ wurde nicht gespeichert: %2</translation>
    </message>
    <message>
        <source>Stream &apos;%1&apos; saved.</source>
        <translation>Stream „%1“ gespeichert.</translation>
    </message>
    <message>
        <source>Remove stream</source>
        <translation>Stream entfernen</translation>
    </message>
    <message>
        <source>Remove the saved stream &apos;%1&apos; with its jobs and its record of loaded dates? The stream on the service is not touched; past runs stay in the history.</source>
        <translation>Den gespeicherten Stream „%1“ mit seinen Aufträgen und seinen Einträgen geladener Daten entfernen? Der Stream beim Dienst bleibt unberührt; frühere Läufe bleiben im Verlauf.</translation>
    </message>
    <message>
        <source>The stream was not removed: %1</source>
        <translation>Der Stream wurde nicht entfernt: %1</translation>
    </message>
    <message>
        <source>The secret of &apos;%1&apos; could not be read: %2</source>
        <translation>Das Geheimnis von „%1“ konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Listing delivery streams…</source>
        <translation>Delivery-Streams werden aufgelistet…</translation>
    </message>
    <message>
        <source>The delivery streams could not be listed: %1</source>
        <translation>Die Delivery-Streams konnten nicht aufgelistet werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n delivery stream(s) on the service.</source>
        <translation>
            <numerusform>%n Delivery-Stream beim Dienst.</numerusform>
            <numerusform>%n Delivery-Streams beim Dienst.</numerusform>
        </translation>
    </message>
    <message>
        <source>&apos;%1&apos; could not be described: %2</source>
        <translation>„%1“ konnte nicht beschrieben werden: %2</translation>
    </message>
    <message>
        <source>Create delivery stream</source>
        <translation>Delivery-Stream erstellen</translation>
    </message>
    <message>
        <source>Delivery stream name</source>
        <translation>Name des Delivery-Streams</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Role ARN:</source>
        <translation>&amp;Rollen-ARN:</translation>
    </message>
    <message>
        <source>S3 &amp;bucket ARN:</source>
        <translation>S3-&amp;Bucket-ARN:</translation>
    </message>
    <message>
        <source>&amp;Prefix:</source>
        <translation>&amp;Präfix:</translation>
    </message>
    <message>
        <source>Buffer &amp;size:</source>
        <translation>Puffer&amp;größe:</translation>
    </message>
    <message>
        <source>Buffer &amp;interval:</source>
        <translation>Puffer&amp;intervall:</translation>
    </message>
    <message>
        <source>&amp;Compression:</source>
        <translation>&amp;Komprimierung:</translation>
    </message>
    <message>
        <source>Creating &apos;%1&apos;…</source>
        <translation>„%1“ wird erstellt…</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is being created (%2). It accepts records once its status is ACTIVE.</source>
        <translation>„%1“ wird erstellt (%2). Er nimmt Datensätze an, sobald sein Status ACTIVE ist.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; was not created: %2</source>
        <translation>„%1“ wurde nicht erstellt: %2</translation>
    </message>
    <message>
        <source>Delete delivery stream</source>
        <translation>Delivery-Stream löschen</translation>
    </message>
    <message>
        <source>Delete the delivery stream &apos;%1&apos; on the service? Records it has not delivered yet are lost. This cannot be undone.</source>
        <translation>Den Delivery-Stream „%1“ beim Dienst löschen? Datensätze, die er noch nicht zugestellt hat, gehen verloren. Dies kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is being deleted.</source>
        <translation>„%1“ wird gelöscht.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; was not deleted: %2</source>
        <translation>„%1“ wurde nicht gelöscht: %2</translation>
    </message>
    <message>
        <source>Delivery streams</source>
        <translation>Delivery-Streams</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::UnitsView</name>
    <message>
        <source>Work units and their workers</source>
        <translation>Arbeitseinheiten und ihre Worker</translation>
    </message>
    <message>
        <source>Worker</source>
        <translation>Worker</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Einheit</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Zeilen</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Rows/s</source>
        <translation>Zeilen/s</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Zugestellt</translation>
    </message>
    <message>
        <source>Last heartbeat</source>
        <translation>Letztes Lebenszeichen</translation>
    </message>
    <message>
        <source>Run totals</source>
        <translation>Summen des Laufs</translation>
    </message>
    <message>
        <source>%1 ago</source>
        <translation>vor %1</translation>
    </message>
    <message>
        <source>Run %1 in %2 work units.</source>
        <translation>Lauf %1 in %2 Arbeitseinheiten.</translation>
    </message>
    <message>
        <source>Run %1 in %2 work units. Other machines join it with: syncdesk-cli worker --run %1</source>
        <translation>Lauf %1 in %2 Arbeitseinheiten. Andere Rechner treten ihm bei mit: syncdesk-cli worker --run %1</translation>
    </message>
    <message>
        <source>Waiting for workers: start one with syncdesk-cli worker --run %1</source>
        <translation>Warte auf Worker: Starten Sie einen mit syncdesk-cli worker --run %1</translation>
    </message>
    <message>
        <source>%1 (lease expired)</source>
        <translation>%1 (Lease abgelaufen)</translation>
    </message>
    <message>
        <source>%1–end</source>
        <translation>%1–Ende</translation>
    </message>
    <message>
        <source>Claimed %1 times: taken over or resumed</source>
        <translation>%1-mal beansprucht: übernommen oder fortgesetzt</translation>
    </message>
    <message>
        <source>Run totals (the units&apos; sums): read %1 · delivered %2 · failed %3 · skipped %4 · duplicates %5 · %6 of %7 units settled · live workers: %8</source>
        <translation>Summen des Laufs (die der Einheiten): gelesen %1 · zugestellt %2 · fehlgeschlagen %3 · übersprungen %4 · Duplikate %5 · %6 von %7 Einheiten abgeschlossen · aktive Worker: %8</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::WindowSession</name>
    <message>
        <source>Opening %1…</source>
        <translation>%1 wird geöffnet…</translation>
    </message>
    <message>
        <source>SyncDesk stays on %1: %2</source>
        <translation>SyncDesk bleibt bei %1: %2</translation>
    </message>
    <message>
        <source>Catalog</source>
        <translation>Katalog</translation>
    </message>
    <message>
        <source>The catalog password was not kept in the keychain (%1); enter it again in File &gt; Catalog… after a restart.</source>
        <translation>Das Katalogpasswort wurde nicht im Schlüsselbund aufbewahrt (%1); geben Sie es nach einem Neustart unter Datei &gt; Katalog… erneut ein.</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::catalogtasks</name>
    <message>
        <source>The catalog %1 could not be opened: %2</source>
        <translation>Der Katalog %1 konnte nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>Run %1 is no longer in the catalog.</source>
        <translation>Lauf %1 ist nicht mehr im Katalog.</translation>
    </message>
</context>
</TS>
