/*
 * store-schema.c - the schema, as the list of migrations that build it.
 *
 * migrations[i] takes a database from user_version i to i + 1. Never edit
 * a migration that has shipped: add the next one. Each runs in its own
 * transaction together with the user_version update (store.c).
 *
 * Conventions: timestamps are UTC text "YYYY-MM-DDTHH:MM:SSZ"; calendar
 * dates (membership terms, sessions) are local text "YYYY-MM-DD"; every
 * workflow object has state and state_since columns driven by mailflows/.
 */
#include "store-priv.h"

static const char migration_1[] =
	/* The council model (DESIGN.md, "The data"). */
	"CREATE TABLE body ("
	" id INTEGER PRIMARY KEY,"
	" code TEXT NOT NULL UNIQUE,"
	" kind TEXT NOT NULL CHECK (kind IN ('commune','arrondissement')),"
	" parent_id INTEGER REFERENCES body(id),"
	" name_fr TEXT NOT NULL,"
	" name_ar TEXT NOT NULL);"

	"CREATE TABLE role ("
	" code TEXT PRIMARY KEY,"
	" rank INTEGER NOT NULL,"
	" title_fr_m TEXT NOT NULL, title_fr_f TEXT NOT NULL,"
	" title_ar_m TEXT NOT NULL, title_ar_f TEXT NOT NULL);"
	"INSERT INTO role VALUES"
	" ('president', 1, 'Président', 'Présidente', 'رئيس', 'رئيسة'),"
	" ('vice_president', 2, 'Vice-président', 'Vice-présidente',"
	"  'نائب الرئيس', 'نائبة الرئيس'),"
	" ('secretary', 3, 'Secrétaire', 'Secrétaire', 'كاتب', 'كاتبة'),"
	" ('deputy_secretary', 4, 'Secrétaire adjoint', 'Secrétaire adjointe',"
	"  'نائب الكاتب', 'نائبة الكاتب'),"
	" ('rapporteur', 5, 'Rapporteur', 'Rapporteuse', 'مقرر', 'مقررة'),"
	" ('member', 9, 'Membre', 'Membre', 'عضو', 'عضوة'),"
	" ('dgs', 1, 'Directeur général des services',"
	"  'Directrice générale des services',"
	"  'المدير العام للمصالح', 'المديرة العامة للمصالح'),"
	" ('head', 2, 'Chef de division', 'Cheffe de division',"
	"  'رئيس قسم', 'رئيسة قسم'),"
	" ('officer', 3, 'Cadre administratif', 'Cadre administrative',"
	"  'إطار إداري', 'إطار إدارية');"

	"CREATE TABLE organization ("
	" id INTEGER PRIMARY KEY,"
	" code TEXT NOT NULL UNIQUE,"
	" body_id INTEGER NOT NULL REFERENCES body(id),"
	" kind TEXT NOT NULL CHECK (kind IN"
	"  ('council','bureau','commission','administration')),"
	" parent_id INTEGER REFERENCES organization(id),"
	" name_fr TEXT NOT NULL,"
	" name_ar TEXT NOT NULL);"

	"CREATE TABLE person ("
	" id INTEGER PRIMARY KEY,"
	" code TEXT NOT NULL UNIQUE,"
	" kind TEXT NOT NULL CHECK (kind IN ('elu','fonctionnaire')),"
	" gender TEXT NOT NULL CHECK (gender IN ('M','F')),"
	" given_fr TEXT NOT NULL, family_fr TEXT NOT NULL,"
	" given_ar TEXT NOT NULL, family_ar TEXT NOT NULL,"
	" lang TEXT NOT NULL CHECK (lang IN ('fr','ar')),"
	" email TEXT UNIQUE COLLATE NOCASE,"
	" phone TEXT,"
	" created_at TEXT NOT NULL);"

	"CREATE TABLE membership ("
	" id INTEGER PRIMARY KEY,"
	" person_id INTEGER NOT NULL REFERENCES person(id),"
	" organization_id INTEGER NOT NULL REFERENCES organization(id),"
	" role TEXT NOT NULL REFERENCES role(code),"
	" rank INTEGER NOT NULL DEFAULT 0,"
	" from_date TEXT NOT NULL,"
	" until_date TEXT,"
	" UNIQUE (person_id, organization_id, role, from_date));"
	"CREATE INDEX membership_org ON membership(organization_id);"

	"CREATE TABLE session ("
	" id INTEGER PRIMARY KEY,"
	" organization_id INTEGER NOT NULL REFERENCES organization(id),"
	" kind TEXT NOT NULL CHECK (kind IN ('ordinary','extraordinary')),"
	" year INTEGER NOT NULL,"
	" month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),"
	" title_fr TEXT NOT NULL, title_ar TEXT NOT NULL,"
	" opens_on TEXT NOT NULL, closes_on TEXT);"

	"CREATE TABLE meeting ("
	" id INTEGER PRIMARY KEY,"
	" session_id INTEGER REFERENCES session(id),"
	" organization_id INTEGER NOT NULL REFERENCES organization(id),"
	" number INTEGER NOT NULL DEFAULT 1,"
	" title_fr TEXT NOT NULL, title_ar TEXT NOT NULL,"
	" starts_at TEXT NOT NULL, ends_at TEXT,"
	" place_fr TEXT NOT NULL DEFAULT '', place_ar TEXT NOT NULL DEFAULT '',"
	" present_count INTEGER,"
	" sequence INTEGER NOT NULL DEFAULT 0,"
	" state TEXT NOT NULL, state_since TEXT NOT NULL,"
	" created_at TEXT NOT NULL);"

	"CREATE TABLE dossier ("
	" id INTEGER PRIMARY KEY,"
	" ref TEXT NOT NULL UNIQUE,"
	" kind TEXT NOT NULL,"
	" title_fr TEXT NOT NULL, title_ar TEXT NOT NULL,"
	" body_id INTEGER NOT NULL REFERENCES body(id),"
	" organization_id INTEGER REFERENCES organization(id),"
	" owner_id INTEGER REFERENCES person(id),"
	" due_at TEXT,"
	" comment TEXT,"
	" state TEXT NOT NULL, state_since TEXT NOT NULL,"
	" created_at TEXT NOT NULL);"

	"CREATE TABLE agenda_item ("
	" id INTEGER PRIMARY KEY,"
	" meeting_id INTEGER NOT NULL REFERENCES meeting(id),"
	" number INTEGER NOT NULL,"
	" title_fr TEXT NOT NULL, title_ar TEXT NOT NULL,"
	" rapporteur_id INTEGER REFERENCES person(id),"
	" dossier_id INTEGER REFERENCES dossier(id),"
	" summary_fr TEXT, summary_ar TEXT,"
	" votes_for INTEGER, votes_against INTEGER, votes_abstain INTEGER,"
	" state TEXT NOT NULL, state_since TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" UNIQUE (meeting_id, number));"

	"CREATE TABLE decision ("
	" id INTEGER PRIMARY KEY,"
	" number TEXT NOT NULL UNIQUE,"
	" body_id INTEGER NOT NULL REFERENCES body(id),"
	" meeting_id INTEGER REFERENCES meeting(id),"
	" agenda_item_id INTEGER UNIQUE REFERENCES agenda_item(id),"
	" dossier_id INTEGER REFERENCES dossier(id),"
	" title_fr TEXT NOT NULL, title_ar TEXT NOT NULL,"
	" votes_for INTEGER NOT NULL, votes_against INTEGER NOT NULL,"
	" votes_abstain INTEGER NOT NULL,"
	" adopted INTEGER NOT NULL CHECK (adopted IN (0,1)),"
	" decided_at TEXT NOT NULL,"
	" visa_state TEXT NOT NULL DEFAULT 'pending' CHECK (visa_state IN"
	"  ('not_required','pending','granted','refused')),"
	" visa_at TEXT);"

	"CREATE TABLE petition ("
	" id INTEGER PRIMARY KEY,"
	" ref TEXT NOT NULL UNIQUE,"
	" body_id INTEGER NOT NULL REFERENCES body(id),"
	" kind TEXT NOT NULL CHECK (kind IN ('citizens','association')),"
	" title_fr TEXT NOT NULL, title_ar TEXT NOT NULL,"
	" lead_name TEXT NOT NULL, lead_email TEXT, lead_phone TEXT,"
	" signatures INTEGER NOT NULL DEFAULT 0,"
	" received_at TEXT NOT NULL,"
	" meeting_id INTEGER REFERENCES meeting(id),"
	" reason TEXT, answer TEXT,"
	" state TEXT NOT NULL, state_since TEXT NOT NULL,"
	" created_at TEXT NOT NULL);"

	"CREATE TABLE task ("
	" id INTEGER PRIMARY KEY,"
	" title_fr TEXT NOT NULL, title_ar TEXT NOT NULL,"
	" assignee_id INTEGER REFERENCES person(id),"
	" dossier_id INTEGER REFERENCES dossier(id),"
	" meeting_id INTEGER REFERENCES meeting(id),"
	" due_at TEXT,"
	" state TEXT NOT NULL CHECK (state IN ('open','done','cancelled')),"
	" state_since TEXT NOT NULL, created_at TEXT NOT NULL,"
	" done_at TEXT);"

	"CREATE TABLE invitation ("
	" id INTEGER PRIMARY KEY,"
	" meeting_id INTEGER NOT NULL REFERENCES meeting(id),"
	" person_id INTEGER NOT NULL REFERENCES person(id),"
	" sequence INTEGER NOT NULL DEFAULT 0,"
	" answered_at TEXT, comment TEXT,"
	" attendance TEXT CHECK (attendance IN ('present','absent','excused')),"
	" state TEXT NOT NULL, state_since TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" UNIQUE (meeting_id, person_id));"
	"CREATE INDEX invitation_person ON invitation(person_id);";

static const char migration_2[] =
	/* The workflow machinery: events, jobs, notifications, audit. */
	"CREATE TABLE event ("
	" id INTEGER PRIMARY KEY,"
	" object_kind TEXT NOT NULL, object_id INTEGER NOT NULL,"
	" name TEXT NOT NULL,"
	" actor_id INTEGER REFERENCES person(id),"
	" source TEXT NOT NULL CHECK (source IN"
	"  ('clock','cli','mail','job','import','demo')),"
	" cause TEXT NOT NULL,"
	" payload TEXT,"
	" dedupe TEXT UNIQUE,"
	" created_at TEXT NOT NULL,"
	" processed_at TEXT,"
	" outcome TEXT CHECK (outcome IN ('applied','refused','ignored')),"
	" reason_code TEXT,"
	" reason TEXT);"
	"CREATE INDEX event_pending ON event(id) WHERE processed_at IS NULL;"
	"CREATE INDEX event_object ON event(object_kind, object_id);"

	"CREATE TABLE job ("
	" id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL,"
	" object_kind TEXT NOT NULL, object_id INTEGER NOT NULL,"
	" arg1 TEXT, arg2 TEXT,"
	" event_id INTEGER REFERENCES event(id),"
	" due_at TEXT NOT NULL,"
	" state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN"
	"  ('pending','done','failed')),"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" last_error TEXT,"
	" created_at TEXT NOT NULL,"
	" done_at TEXT);"
	"CREATE INDEX job_pending ON job(due_at, id) WHERE state = 'pending';"

	"CREATE TABLE notification ("
	" id INTEGER PRIMARY KEY,"
	" person_id INTEGER NOT NULL REFERENCES person(id),"
	" event_id INTEGER REFERENCES event(id),"
	" message TEXT NOT NULL,"
	" object_kind TEXT, object_id INTEGER,"
	" channel TEXT NOT NULL DEFAULT 'inbox',"
	" subject_fr TEXT NOT NULL, subject_ar TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" read_at TEXT, acknowledged_at TEXT,"
	" UNIQUE (event_id, person_id, message, channel));"
	"CREATE INDEX notification_person ON notification(person_id);"

	"CREATE TABLE audit ("
	" id INTEGER PRIMARY KEY,"
	" at TEXT NOT NULL,"
	" actor_id INTEGER REFERENCES person(id),"
	" actor TEXT NOT NULL,"
	" object_kind TEXT, object_id INTEGER,"
	" action TEXT NOT NULL,"
	" event TEXT, from_state TEXT, to_state TEXT,"
	" cause TEXT NOT NULL,"
	" detail TEXT);"
	"CREATE INDEX audit_object ON audit(object_kind, object_id);"
	"CREATE INDEX audit_at ON audit(at);"
	"CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;"
	"CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;"

	"CREATE TABLE counter ("
	" name TEXT PRIMARY KEY,"
	" value INTEGER NOT NULL);";

static const char migration_3[] =
	/* The archive: documents and their versions, never overwritten. */
	"CREATE TABLE document ("
	" id INTEGER PRIMARY KEY,"
	" register_no TEXT NOT NULL UNIQUE,"
	" kind TEXT NOT NULL,"
	" year INTEGER NOT NULL,"
	" seq INTEGER NOT NULL,"
	" title_fr TEXT NOT NULL, title_ar TEXT NOT NULL,"
	" body_id INTEGER REFERENCES body(id),"
	" session_id INTEGER REFERENCES session(id),"
	" meeting_id INTEGER REFERENCES meeting(id),"
	" dossier_id INTEGER REFERENCES dossier(id),"
	" petition_id INTEGER REFERENCES petition(id),"
	" decision_id INTEGER REFERENCES decision(id),"
	" created_at TEXT NOT NULL,"
	" UNIQUE (kind, year, seq));"
	"CREATE TABLE document_version ("
	" id INTEGER PRIMARY KEY,"
	" document_id INTEGER NOT NULL REFERENCES document(id),"
	" version INTEGER NOT NULL,"
	" format TEXT NOT NULL,"
	" lang TEXT NOT NULL,"
	" sha256 TEXT NOT NULL,"
	" size INTEGER NOT NULL,"
	" created_at TEXT NOT NULL,"
	" UNIQUE (document_id, version, format, lang));"
	"CREATE TRIGGER document_version_immutable BEFORE UPDATE"
	" ON document_version"
	" BEGIN SELECT RAISE(ABORT, 'document versions are never rewritten');"
	" END;";

static const char migration_4[] =
	/*
	 * The archive's classification (the subject a document is about,
	 * unique per kind; a person), why each version was filed and the
	 * name an attachment came with, and its full-text index: one row
	 * per document (rowid = document.id) with the latest text as filed
	 * (orig, not indexed), then normalised (norm) and reduced to the
	 * stems of its Arabic words (bare), both made by archive.c.
	 */
	"ALTER TABLE document ADD COLUMN subject TEXT;"
	"ALTER TABLE document ADD COLUMN person_id INTEGER"
	" REFERENCES person(id);"
	"ALTER TABLE document ADD COLUMN updated_at TEXT;"
	"UPDATE document SET updated_at = created_at;"
	"ALTER TABLE document_version ADD COLUMN cause TEXT NOT NULL"
	" DEFAULT '';"
	"ALTER TABLE document_version ADD COLUMN filename TEXT;"
	"CREATE UNIQUE INDEX document_subject ON document(kind, subject);"
	"CREATE INDEX document_meeting ON document(meeting_id);"
	"CREATE INDEX document_dossier ON document(dossier_id);"
	"CREATE INDEX document_petition ON document(petition_id);"
	"CREATE INDEX document_version_sha256 ON document_version(sha256);"
	"CREATE VIRTUAL TABLE document_fts USING fts5(orig UNINDEXED, norm,"
	" bare, tokenize = 'unicode61 remove_diacritics 2');"
	/* Documents filed before: findable by number and title. */
	"INSERT INTO document_fts(rowid, orig, norm, bare)"
	" SELECT id, '', register_no || ' ' || title_fr || ' ' || title_ar,"
	" '' FROM document;";

static const char migration_5[] =
	/*
	 * Outgoing: the tokens of reply addresses (DESIGN.md: at least 80
	 * random bits, stored hashed, bound to a purpose, an object and a
	 * recipient, with an expiry); the outbox, where every message is
	 * complete before any transport sees it (its raw bytes, its
	 * Message-ID, its envelope), e-mail or SMS; what each notification
	 * was sent as and how its acknowledgement is chased; one digest a
	 * person a day; each person's private calendar feed.
	 */
	"CREATE TABLE token ("
	" id INTEGER PRIMARY KEY,"
	" hash TEXT NOT NULL UNIQUE,"
	" purpose TEXT NOT NULL,"
	" object_kind TEXT NOT NULL, object_id INTEGER NOT NULL,"
	" person_id INTEGER NOT NULL REFERENCES person(id),"
	" created_at TEXT NOT NULL, expires_at TEXT NOT NULL,"
	" used_at TEXT, answer TEXT);"
	"CREATE INDEX token_object ON token(object_kind, object_id);"

	"CREATE TABLE outbox ("
	" id INTEGER PRIMARY KEY,"
	" message_id TEXT NOT NULL UNIQUE,"
	" channel TEXT NOT NULL DEFAULT 'email' CHECK (channel IN"
	"  ('email','sms')),"
	" kind TEXT NOT NULL,"
	" person_id INTEGER REFERENCES person(id),"
	" recipient TEXT NOT NULL,"
	" sender TEXT NOT NULL,"
	" subject TEXT NOT NULL,"
	" object_kind TEXT, object_id INTEGER,"
	" size INTEGER NOT NULL,"
	" state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN"
	"  ('queued','sent','failed')),"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" next_at TEXT NOT NULL,"
	" last_error TEXT,"
	" created_at TEXT NOT NULL,"
	" sent_at TEXT);"
	"CREATE INDEX outbox_due ON outbox(next_at, id) WHERE state = 'queued';"
	"CREATE INDEX outbox_person ON outbox(person_id);"
	"CREATE INDEX outbox_object ON outbox(object_kind, object_id);"
	/* The message itself, apart: updating a row's state must not
	 * rewrite its hundred kilobytes. */
	"CREATE TABLE outbox_raw ("
	" id INTEGER PRIMARY KEY REFERENCES outbox(id),"
	" raw BLOB NOT NULL);"

	"ALTER TABLE notification ADD COLUMN outbox_id INTEGER"
	" REFERENCES outbox(id);"
	"ALTER TABLE notification ADD COLUMN colour TEXT;"
	"ALTER TABLE notification ADD COLUMN ack_due_at TEXT;"
	"ALTER TABLE notification ADD COLUMN reminded_at TEXT;"
	"ALTER TABLE notification ADD COLUMN escalated_at TEXT;"
	"CREATE INDEX notification_ack ON notification(ack_due_at)"
	" WHERE ack_due_at IS NOT NULL AND acknowledged_at IS NULL;"

	"CREATE TABLE digest ("
	" person_id INTEGER NOT NULL REFERENCES person(id),"
	" day TEXT NOT NULL,"
	" outbox_id INTEGER REFERENCES outbox(id),"
	" items INTEGER NOT NULL,"
	" created_at TEXT NOT NULL,"
	" PRIMARY KEY (person_id, day));"

	"ALTER TABLE person ADD COLUMN feed_token TEXT;";

static const char migration_6[] =
	/*
	 * Guests: people invited to a meeting who are neither élus nor
	 * civil servants of the Commune (the local authority's
	 * representative, an expert), and the contacts proposed for an
	 * invitation from the vCards staff send from their phones. SQLite
	 * cannot widen a CHECK in place, so the person table is rebuilt
	 * and its rows copied back; the foreign keys that point at it are
	 * checked at commit, when every row is there again.
	 */
	"PRAGMA defer_foreign_keys = ON;"
	"CREATE TEMP TABLE person_copy AS SELECT * FROM person;"
	"DROP TABLE person;"
	"CREATE TABLE person ("
	" id INTEGER PRIMARY KEY,"
	" code TEXT NOT NULL UNIQUE,"
	" kind TEXT NOT NULL CHECK (kind IN ('elu','fonctionnaire','invite')),"
	" gender TEXT NOT NULL CHECK (gender IN ('M','F')),"
	" given_fr TEXT NOT NULL, family_fr TEXT NOT NULL,"
	" given_ar TEXT NOT NULL, family_ar TEXT NOT NULL,"
	" lang TEXT NOT NULL CHECK (lang IN ('fr','ar')),"
	" email TEXT UNIQUE COLLATE NOCASE,"
	" phone TEXT,"
	" created_at TEXT NOT NULL,"
	" feed_token TEXT);"
	"INSERT INTO person SELECT * FROM temp.person_copy;"
	"DROP TABLE temp.person_copy;"

	"CREATE TABLE contact ("
	" id INTEGER PRIMARY KEY,"
	" meeting_id INTEGER REFERENCES meeting(id),"
	" name TEXT NOT NULL,"
	" given_fr TEXT NOT NULL, family_fr TEXT NOT NULL,"
	" given_ar TEXT NOT NULL, family_ar TEXT NOT NULL,"
	" gender TEXT CHECK (gender IN ('M','F')),"
	" lang TEXT CHECK (lang IN ('fr','ar')),"
	" email TEXT, phone TEXT, org TEXT, title TEXT,"
	" comment TEXT,"
	" proposed_by INTEGER REFERENCES person(id),"
	" source TEXT NOT NULL,"
	" person_id INTEGER REFERENCES person(id),"
	" state TEXT NOT NULL, state_since TEXT NOT NULL,"
	" created_at TEXT NOT NULL);"
	"CREATE INDEX contact_meeting ON contact(meeting_id);";

static const char migration_7[] =
	/*
	 * Intake: every message that came in, once (by its Message-ID,
	 * else the SHA-256 of its bytes), with what was done and why; the
	 * raw bytes of those kept for a person (review, quarantine); the
	 * delivery failures bounces reported; where each IMAP mailbox was
	 * read up to.
	 */
	"CREATE TABLE inmail ("
	" id INTEGER PRIMARY KEY,"
	" key TEXT NOT NULL UNIQUE,"
	" message_id TEXT,"
	" source TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" action TEXT NOT NULL CHECK (action IN ('applied','rejected',"
	"  'quarantined','ignored','review')),"
	" reason TEXT NOT NULL,"
	" sender TEXT, subject TEXT,"
	" token_id INTEGER REFERENCES token(id),"
	" object_kind TEXT, object_id INTEGER,"
	" event_id INTEGER REFERENCES event(id),"
	" received_at TEXT NOT NULL);"
	"CREATE INDEX inmail_action ON inmail(action, id);"
	"CREATE TABLE inmail_raw ("
	" id INTEGER PRIMARY KEY REFERENCES inmail(id),"
	" raw BLOB NOT NULL);"
	"CREATE TABLE bounce ("
	" id INTEGER PRIMARY KEY,"
	" inmail_id INTEGER NOT NULL REFERENCES inmail(id),"
	" address TEXT NOT NULL,"
	" person_id INTEGER REFERENCES person(id),"
	" outbox_id INTEGER REFERENCES outbox(id),"
	" status TEXT, diagnostic TEXT,"
	" created_at TEXT NOT NULL);"
	"CREATE INDEX bounce_person ON bounce(person_id);"
	"ALTER TABLE person ADD COLUMN email_failed TEXT;"
	"CREATE TABLE imap_state ("
	" mailbox TEXT PRIMARY KEY,"
	" uidvalidity INTEGER NOT NULL,"
	" last_uid INTEGER NOT NULL);";

static const char migration_8[] =
	/*
	 * Reports: each dashboard a tick rebuilt, one a day, and the file
	 * it wrote: the management digest of that day attaches it.
	 */
	"CREATE TABLE report_run ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" day TEXT NOT NULL,"
	" path TEXT NOT NULL,"
	" rows INTEGER NOT NULL,"
	" created_at TEXT NOT NULL,"
	" UNIQUE (name, day));";

const char *const store_migrations[] = {
	migration_1,
	migration_2,
	migration_3,
	migration_4,
	migration_5,
	migration_6,
	migration_7,
	migration_8,
};

const int store_migration_count =
	(int)(sizeof(store_migrations) / sizeof(store_migrations[0]));
