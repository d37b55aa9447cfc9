/*
 * demo.c - the demo Commune (see demo.h).
 *
 * Layout: names and a seeded generator; the organigramme, written as CSV
 * and imported; creating objects (meetings, points, dossiers, petitions,
 * tasks) in their initial state with an audit entry; the replayed
 * history, step by step, each followed by a tick at that time.
 */
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "calendar.h"
#include "clock.h"
#include "flow.h"
#include "orgchart.h"
#include "store.h"
#include "sys.h"
#include "outbox.h"
#include "digest.h"
#include "tick.h"

struct name {
	const char *fr, *ar;
};

static const struct name given_m[] = {
	{ "Mohammed", "محمد" },	    { "Ahmed", "أحمد" },
	{ "Youssef", "يوسف" },	    { "Hassan", "حسن" },
	{ "Abdelaziz", "عبد العزيز" }, { "Karim", "كريم" },
	{ "Rachid", "رشيد" },	    { "Said", "سعيد" },
	{ "Mustapha", "مصطفى" },    { "Abdellatif", "عبد اللطيف" },
	{ "Omar", "عمر" },	    { "Hamid", "حميد" },
	{ "Khalid", "خالد" },	    { "Nabil", "نبيل" },
	{ "Abderrahim", "عبد الرحيم" }, { "Driss", "إدريس" },
	{ "Mehdi", "مهدي" },	    { "Adil", "عادل" },
	{ "Jamal", "جمال" },	    { "Noureddine", "نور الدين" },
	{ "Aziz", "عزيز" },	    { "Anas", "أنس" },
	{ "Hicham", "هشام" },	    { "Brahim", "إبراهيم" },
	{ "Lahcen", "لحسن" },	    { "Mounir", "منير" },
	{ "Tarik", "طارق" },	    { "Abdelilah", "عبد الإله" },
	{ "Redouane", "رضوان" },    { "Ismail", "إسماعيل" },
};

static const struct name given_f[] = {
	{ "Fatima Zahra", "فاطمة الزهراء" }, { "Khadija", "خديجة" },
	{ "Amina", "أمينة" },		   { "Nadia", "نادية" },
	{ "Samira", "سميرة" },		   { "Latifa", "لطيفة" },
	{ "Naima", "نعيمة" },		   { "Zineb", "زينب" },
	{ "Houda", "هدى" },		   { "Salma", "سلمى" },
	{ "Meryem", "مريم" },		   { "Asmaa", "أسماء" },
	{ "Hanane", "حنان" },		   { "Loubna", "لبنى" },
	{ "Saida", "سعيدة" },		   { "Khaoula", "خولة" },
	{ "Imane", "إيمان" },		   { "Siham", "سهام" },
	{ "Rajae", "رجاء" },		   { "Btissam", "ابتسام" },
	{ "Nawal", "نوال" },		   { "Ghizlane", "غزلان" },
	{ "Hayat", "حياة" },		   { "Kenza", "كنزة" },
	{ "Souad", "سعاد" },
};

static const struct name family[] = {
	{ "Bennani", "بناني" },	      { "Alaoui", "العلوي" },
	{ "El Idrissi", "الإدريسي" },  { "Tazi", "التازي" },
	{ "Berrada", "برادة" },	      { "Benjelloun", "بنجلون" },
	{ "Chraibi", "الشرايبي" },     { "El Amrani", "العمراني" },
	{ "Lahlou", "لحلو" },	      { "Fassi Fihri", "الفاسي الفهري" },
	{ "Sqalli", "الصقلي" },	      { "Kettani", "الكتاني" },
	{ "El Mansouri", "المنصوري" }, { "Ouazzani", "الوزاني" },
	{ "Cherkaoui", "الشرقاوي" },   { "Bouazza", "بوعزة" },
	{ "Ziani", "الزياني" },	      { "El Khatib", "الخطيب" },
	{ "Hajji", "الحجي" },	      { "Naciri", "الناصري" },
	{ "Sabri", "صبري" },	      { "Moussaoui", "الموساوي" },
	{ "El Ghazi", "الغازي" },      { "Lamrani", "اللمراني" },
	{ "Benali", "بنعلي" },	      { "Bouzidi", "البوزيدي" },
	{ "Karimi", "الكريمي" },       { "Jabri", "الجابري" },
	{ "Haddad", "الحداد" },	      { "Tahiri", "الطاهري" },
	{ "Slaoui", "السلاوي" },       { "Filali", "الفيلالي" },
	{ "El Hassani", "الحسني" },    { "Mernissi", "المرنيسي" },
	{ "Bennis", "بنيس" },	      { "Zemmouri", "الزموري" },
	{ "Doukkali", "الدكالي" },     { "Chaoui", "الشاوي" },
	{ "Regragui", "الركراكي" },    { "Souissi", "السويسي" },
	{ "Belkadi", "بلقاضي" },       { "Kabbaj", "القباج" },
	{ "Lazrak", "الأزرق" },	      { "Mekouar", "مكوار" },
	{ "Benchekroun", "بنشقرون" },  { "Sebti", "السبتي" },
	{ "Guessous", "جسوس" },	      { "Benslimane", "بنسليمان" },
	{ "Debbagh", "الدباغ" },       { "Essaidi", "السعيدي" },
	{ "Bakkali", "البقالي" },      { "Azzouzi", "العزوزي" },
	{ "Ouali", "الوالي" },	      { "Rifai", "الرفاعي" },
	{ "Squalli", "السقالي" },      { "Mouline", "مولين" },
	{ "Kadiri", "القادري" },       { "Sefrioui", "الصفريوي" },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Council seats by arrondissement: 147 in all; each arrondissement
 * council has twice as many seats of its own. */
static const struct {
	const char *code;
	int seats;
} arrondissements[] = {
	{ "ANFA", 9 },	       { "MAARIF", 9 },	      { "SIDI-BELYOUT", 8 },
	{ "MERS-SULTAN", 8 },  { "AL-FIDA", 9 },      { "AIN-CHOCK", 10 },
	{ "AIN-SEBAA", 9 },    { "HAY-MOHAMMADI", 8 }, { "SIDI-BERNOUSSI", 11 },
	{ "SIDI-MOUMEN", 13 }, { "BEN-MSICK", 8 },    { "SBATA", 8 },
	{ "MOULAY-RACHID", 11 }, { "SIDI-OTHMANE", 8 }, { "HAY-HASSANI", 12 },
	{ "ROCHES-NOIRES", 6 },
};

static const char *const commissions[] = {
	"CC-COM-BUDGET", "CC-COM-URBANISME", "CC-COM-SERVICES",
	"CC-COM-ECONOMIE", "CC-COM-SOCIAL", "CC-COM-MOBILITE",
};

#define COUNCIL_SEATS 147
#define TERM_START "2021-09-20"

struct rng {
	uint64_t s;
};

static uint64_t
rng_next(struct rng *r)
{
	/* xorshift64*: small, fast and fixed, for a repeatable demo. */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ULL;
}

static int
rng_below(struct rng *r, int n)
{
	return (int)(rng_next(r) % (uint64_t)n);
}

struct person {
	char code[16];
	int female;
	const struct name *given, *fam;
	char lang[3];
	char email[96];
	char phone[20];
};

/* Lower-case ASCII letters of s, for e-mail addresses. */
static void
fold(const char *s, struct buf *out)
{
	for (; *s; s++) {
		char c = *s;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c >= 'a' && c <= 'z')
			buf_addch(out, c);
	}
}

struct demo {
	struct engine *e;
	rec_cb cb;
	void *ctx;
	struct demo_counts *c;
	struct buf *err;
	struct rng rng;
	struct person *people;
	size_t npeople;
	struct buf csv;
	int64_t now;		/* the real now, restored at the end */
	int64_t last;		/* the replayed clock, only moving forward */
};

static void
make_person(struct demo *d, struct person *p, const char *code, int female,
	    const char *domain, int initial_only)
{
	struct buf local = BUF_INIT;
	int tries = 0;

	memset(p, 0, sizeof(*p));
	snprintf(p->code, sizeof(p->code), "%s", code);
	p->female = female;
	/* Unique names, as a real council has: redraw on a clash. */
	for (;;) {
		size_t i;

		p->given = female ? &given_f[rng_below(&d->rng, N(given_f))]
				  : &given_m[rng_below(&d->rng, N(given_m))];
		p->fam = &family[rng_below(&d->rng, N(family))];
		for (i = 0; i < d->npeople; i++)
			if (d->people[i].given == p->given &&
			    d->people[i].fam == p->fam)
				break;
		if (i == d->npeople || ++tries > 50)
			break;
	}
	snprintf(p->lang, sizeof(p->lang), "%s",
		 rng_below(&d->rng, 100) < 55 ? "ar" : "fr");
	if (initial_only) {
		buf_addch(&local, (char)(p->given->fr[0] - 'A' + 'a'));
	} else {
		fold(p->given->fr, &local);
	}
	buf_addch(&local, '.');
	fold(p->fam->fr, &local);
	for (int n = 1;; n++) {
		size_t i;

		snprintf(p->email, sizeof(p->email), "%s%.0d@%s", local.data,
			 n > 1 ? n : 0, domain);
		for (i = 0; i < d->npeople; i++)
			if (!strcmp(d->people[i].email, p->email))
				break;
		if (i == d->npeople)
			break;
	}
	snprintf(p->phone, sizeof(p->phone), "+2126%08d",
		 10000000 + rng_below(&d->rng, 89999999));
	buf_release(&local);
}

static void
csv_row(struct demo *d, const struct person *p, const char *kind,
	const char *org, const char *role, int rank, const char *from,
	const char *until, int with_email)
{
	buf_addf(&d->csv, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d,%s,%s\n",
		 p->code, kind, p->female ? "F" : "M", p->given->fr,
		 p->fam->fr, p->given->ar, p->fam->ar, p->lang,
		 with_email ? p->email : "", p->phone, org, role, rank, from,
		 until ? until : "");
}

static struct person *
add_person(struct demo *d, size_t *cap)
{
	xgrow(&d->people, cap, d->npeople + 1, sizeof(*d->people));
	return &d->people[d->npeople];
}

/*
 * The organigramme. Council seat 0 is the president; seats 1-10 the
 * vice-presidents, 11 the secretary, 12 the deputy secretary. Each
 * council member also sits in their arrondissement's council and in one
 * commission; arrondissement councillors sit in their council only.
 */
static enum majlis_status
build_orgchart(struct demo *d)
{
	struct orgchart_counts oc;
	size_t cap = 0;
	char code[16], org[48], bureau[56];
	int seat = 0, own = 0;
	int com_fill[6] = { 0 };
	enum majlis_status rc;

	buf_addstr(&d->csv, "matricule,type,genre,prenom_fr,nom_fr,prenom_ar,"
			    "nom_ar,langue,email,telephone,organisation,role,"
			    "rang,debut,fin\n");
	for (size_t a = 0; a < N(arrondissements); a++) {
		snprintf(org, sizeof(org), "CA-%s", arrondissements[a].code);
		snprintf(bureau, sizeof(bureau), "CA-%s-BUREAU",
			 arrondissements[a].code);
		for (int k = 0; k < arrondissements[a].seats; k++, seat++) {
			struct person *p = add_person(d, &cap);
			const char *role = "member";
			int rank = 0, com = (seat + 5) % 6;
			/* A few élus never gave an address: the engine
			 * must notice it. */
			int with_email = seat % 61 != 7;

			snprintf(code, sizeof(code), "E%04d", seat + 1);
			make_person(d, p, code,
				    seat == 0 || rng_below(&d->rng, 100) < 31,
				    "elus.casablanca.ma", 0);
			d->npeople++;
			if (seat == 0)
				role = "president";
			else if (seat <= 10)
				role = "vice_president", rank = seat;
			else if (seat == 11)
				role = "secretary";
			else if (seat == 12)
				role = "deputy_secretary";
			csv_row(d, p, "elu", "CC", role, rank, TERM_START,
				NULL, with_email);
			if (seat <= 10)
				csv_row(d, p, "elu", "CC-BUREAU", role, rank,
					TERM_START, NULL, with_email);
			if (seat > 0) {
				static const char *const com_roles[] = {
					"president", "vice_president",
					"rapporteur",
				};
				int n = com_fill[com]++;

				csv_row(d, p, "elu", commissions[com],
					n < 3 ? com_roles[n] : "member", 0,
					TERM_START, NULL, with_email);
			}
			/* The first council member of each arrondissement
			 * presides its council. */
			csv_row(d, p, "elu", org, k == 0 ? "president" : "member",
				0, TERM_START, NULL, with_email);
			if (k == 0)
				csv_row(d, p, "elu", bureau, "president", 0,
					TERM_START, NULL, with_email);
			d->c->elus++;
		}
		for (int k = 0; k < 2 * arrondissements[a].seats; k++, own++) {
			struct person *p = add_person(d, &cap);
			const char *role = k < 3 ? "vice_president"
				       : k == 3 ? "secretary"
						: "member";

			snprintf(code, sizeof(code), "E%04d",
				 COUNCIL_SEATS + own + 1);
			make_person(d, p, code, rng_below(&d->rng, 100) < 33,
				    "elus.casablanca.ma", 0);
			d->npeople++;
			csv_row(d, p, "elu", org, role, k < 3 ? k + 1 : 0,
				TERM_START, NULL, 1);
			if (k < 3)
				csv_row(d, p, "elu", bureau, role, k + 1,
					TERM_START, NULL, 1);
			d->c->elus++;
		}
	}
	/* The staff of the Direction générale des services. */
	for (int k = 0; k < 24; k++) {
		struct person *p = add_person(d, &cap);
		const char *role = k == 0 ? "dgs" : k <= 5 ? "head" : "officer";

		snprintf(code, sizeof(code), "F%03d", k + 1);
		make_person(d, p, code, rng_below(&d->rng, 100) < 45,
			    "casablanca.ma", 1);
		d->npeople++;
		/* One officer left in 2024: the organigramme keeps it. */
		csv_row(d, p, "fonctionnaire", "CASA-DGS", role,
			k >= 1 && k <= 5 ? k : 0,
			k == 0 ? "2019-03-01" : "2016-01-04",
			k == 23 ? "2024-06-30" : NULL, 1);
		d->c->staff++;
	}
	rc = orgchart_import(d->e, "demo-orgchart.csv", d->csv.data,
			     d->csv.len, "demo", 0, &oc, d->err);
	d->c->persons = oc.persons_new;
	d->c->memberships = oc.memberships_new;
	return rc;
}

static const struct person *
staff(struct demo *d, int k)
{
	return &d->people[d->npeople - 24 + k];
}

static int64_t
person_id(struct demo *d, const char *code)
{
	int64_t id = 0;

	store_get_int(d->e->store, NULL, &id,
		      "SELECT id FROM person WHERE code = ?1", "s", code);
	return id;
}

/*
 * Moves the replayed clock to t, never backwards: the history must read
 * in order in the audit log whatever --now the demo is built at.
 */
static void
when(struct demo *d, int64_t t)
{
	if (t <= d->last)
		t = d->last + 1;
	d->last = t;
	clock_set_now(d->e->clock, t);
}

static enum majlis_status
tick_at(struct demo *d, int64_t t)
{
	struct tick_counts tc;
	enum majlis_status rc;

	when(d, t);
	rc = tick_run(d->e, d->cb, d->ctx, &tc, d->err);
	d->c->events += tc.applied + tc.refused + tc.ignored;
	d->c->jobs += tc.jobs;
	/* As majlis run: what the tick queued leaves. */
	if (rc == MAJLIS_OK && d->e->mail) {
		struct outbox_counts oc;

		rc = outbox_flush(d->e, 0, &oc, d->err);
		d->c->messages += oc.sent;
	}
	return rc;
}

/* Records and applies an event at the clock's now, as actor (a code or
 * NULL). set: NULL-terminated FIELD=VALUE strings. */
static enum majlis_status
act(struct demo *d, enum object_kind kind, int64_t id, const char *event,
    const char *actor, const char *const *set)
{
	struct event_spec ev;
	struct rec r = REC_INIT;
	int64_t eid;
	enum majlis_status rc;

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.object_id = id;
	ev.name = event;
	ev.actor_id = actor ? person_id(d, actor) : 0;
	ev.source = "demo";
	ev.cause = "demo history";
	ev.set = set;
	rc = event_record(d->e, &ev, &eid, d->err);
	if (rc == MAJLIS_OK)
		rc = event_apply(d->e, eid, &r, d->err);
	if (rc == MAJLIS_OK && strcmp(rec_text(&r, "outcome"), "applied"))
		rc = error(d->err, MAJLIS_ERR_INTERNAL,
			   "demo: %s %s #%lld was %s: %s", event,
			   object_kind_name(kind), (long long)id,
			   rec_text(&r, "outcome"),
			   rec_text(&r, "reason") ? rec_text(&r, "reason") : "");
	if (rc == MAJLIS_OK) {
		d->c->events++;
		if (d->cb) {
			struct rec out = REC_INIT;

			rec_add_text(&out, "step", "demo");
			rec_add_text(&out, "object", object_kind_name(kind));
			rec_add_int(&out, "id", id);
			rec_add_text(&out, "event", event);
			rec_add_text(&out, "to", rec_text(&r, "to"));
			d->cb(d->ctx, &out);
			rec_release(&out);
		}
	}
	rec_release(&r);
	return rc;
}

static enum majlis_status
audit_create(struct demo *d, const char *kind, int64_t id)
{
	struct audit_entry a;

	memset(&a, 0, sizeof(a));
	a.actor = "demo";
	a.object_kind = kind;
	a.object_id = id;
	a.action = "create";
	a.cause = "demo history";
	return audit_write(d->e, &a, d->err);
}

static void
now_text(struct demo *d, char out[TIME_LEN])
{
	time_format_utc(clock_now(d->e->clock), out);
}

/* The initial state of a kind, as its mailflow says. */
static const char *
initial(struct demo *d, enum object_kind kind)
{
	return flow_initial(flowset_flow(d->e->flows, kind));
}

struct meeting_def {
	int64_t session;	/* 0: outside any session */
	const char *org;
	int number;
	const char *title_fr, *title_ar;
	int64_t start, end;
};

static enum majlis_status
create_meeting(struct demo *d, const struct meeting_def *m, int64_t *id)
{
	char now[TIME_LEN], start[TIME_LEN], end[TIME_LEN];
	struct stmt *s = store_prepare(
		d->e->store,
		"INSERT INTO meeting(session_id, organization_id, number,"
		" title_fr, title_ar, starts_at, ends_at, place_fr, place_ar,"
		" state, state_since, created_at)"
		" VALUES (?1, (SELECT id FROM organization WHERE code = ?2),"
		" ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)");
	enum majlis_status rc = MAJLIS_OK;

	now_text(d, now);
	time_format_utc(m->start, start);
	time_format_utc(m->end, end);
	if (m->session)
		stmt_bind_int(s, 1, m->session);
	stmt_bind_text(s, 2, m->org);
	stmt_bind_int(s, 3, m->number);
	stmt_bind_text(s, 4, m->title_fr);
	stmt_bind_text(s, 5, m->title_ar);
	stmt_bind_text(s, 6, start);
	stmt_bind_text(s, 7, end);
	stmt_bind_text(s, 8, "Salle des délibérations, siège de la Commune, "
			     "boulevard Rachidi, Casablanca");
	stmt_bind_text(s, 9, "قاعة المداولات، مقر الجماعة، شارع الرشيدي، "
			     "الدار البيضاء");
	stmt_bind_text(s, 10, initial(d, OBJ_MEETING));
	stmt_bind_text(s, 11, now);
	if (stmt_step(s) < 0)
		rc = error(d->err, MAJLIS_ERR_STORE, "demo meeting: %s",
			   store_errmsg(d->e->store));
	stmt_done(s);
	if (rc == MAJLIS_OK) {
		*id = store_last_id(d->e->store);
		d->c->meetings++;
		rc = audit_create(d, "meeting", *id);
	}
	return rc;
}

struct item_def {
	const char *fr, *ar;
	int commission;		/* rapporteur: that commission's president */
	int dossier;		/* index into the demo dossiers, or -1 */
};

/* The agenda of the session that was held. */
static const struct item_def past_items[] = {
	{ "Examen et vote du projet de budget de la Commune pour l'exercice "
	  "suivant",
	  "دراسة مشروع ميزانية الجماعة برسم السنة المالية الموالية والتصويت "
	  "عليه",
	  0, 0 },
	{ "Approbation de virements de crédits au sein du budget de "
	  "fonctionnement",
	  "الموافقة على تحويل اعتمادات داخل ميزانية التسيير", 0, -1 },
	{ "Approbation de la convention de partenariat relative à la "
	  "réhabilitation de l'ancienne médina",
	  "الموافقة على اتفاقية الشراكة المتعلقة بتأهيل المدينة القديمة", 1,
	  1 },
	{ "Dénomination de voies publiques dans l'arrondissement de Sidi "
	  "Moumen",
	  "تسمية طرق عمومية بمقاطعة سيدي مومن", 1, -1 },
	{ "Approbation de la grille tarifaire des parcs de stationnement "
	  "communaux",
	  "الموافقة على تعريفة مرائب السيارات الجماعية", 5, -1 },
	{ "Approbation de la convention de gestion déléguée de l'éclairage "
	  "public",
	  "الموافقة على اتفاقية التدبير المفوض للإنارة العمومية", 2, 2 },
	{ "Contribution de la Commune au programme de mise à niveau des "
	  "marchés de proximité",
	  "مساهمة الجماعة في برنامج تأهيل أسواق القرب", 3, -1 },
	{ "Acquisition d'un terrain pour un centre socio-sportif de "
	  "proximité à Hay Hassani",
	  "اقتناء قطعة أرضية لإحداث مركز سوسيو رياضي للقرب بالحي الحسني", 4,
	  -1 },
};

/* The agenda of the next session. */
static const struct item_def next_items[] = {
	{ "Examen de l'état d'avancement du programme d'action de la Commune "
	  "2022–2027",
	  "دراسة حصيلة تنفيذ برنامج عمل الجماعة \u20662022–2027\u2069", 0,
	  -1 },
	{ "Approbation de l'affectation de l'excédent budgétaire de "
	  "l'exercice écoulé",
	  "الموافقة على تخصيص فائض ميزانية السنة المالية المنصرمة", 0, 3 },
	{ "Approbation de la convention de partenariat relative à "
	  "l'aménagement du corridor de la ligne T3 du tramway",
	  "الموافقة على اتفاقية الشراكة المتعلقة بتهيئة ممر الخط T3 للترامواي",
	  5, 4 },
	{ "Approbation de la révision du règlement de la voirie communale",
	  "الموافقة على مراجعة نظام الطرق الجماعية", 1, -1 },
	{ "Approbation de la convention de coopération décentralisée avec "
	  "la Ville de Dakar",
	  "الموافقة على اتفاقية التعاون اللامركزي مع مدينة داكار", 3, 5 },
	{ "Répartition des subventions aux associations sportives au titre "
	  "de l'année en cours",
	  "توزيع المنح على الجمعيات الرياضية برسم السنة الجارية", 4, 6 },
	{ "Création d'une société de développement local pour la gestion "
	  "des marchés de gros",
	  "إحداث شركة للتنمية المحلية لتدبير أسواق الجملة", 3, -1 },
	{ "Approbation du plan communal de gestion des déchets ménagers",
	  "الموافقة على المخطط الجماعي لتدبير النفايات المنزلية", 2, 7 },
	{ "Réponse à la pétition relative à l'aménagement d'espaces verts "
	  "à Ben M'Sick",
	  "الجواب على العريضة المتعلقة بتهيئة مساحات خضراء ببن امسيك", 4, -1 },
	{ "Approbation de l'avenant à la convention de transport urbain par "
	  "bus",
	  "الموافقة على ملحق اتفاقية النقل الحضري بواسطة الحافلات", 5, -1 },
	{ "Désaffectation d'un terrain communal au quartier Sbata",
	  "إخراج قطعة أرضية جماعية من الملك العام بحي سباتة", 0, -1 },
	{ "Approbation de la convention relative à la numérisation des "
	  "services communaux",
	  "الموافقة على الاتفاقية المتعلقة برقمنة الخدمات الجماعية", 2, -1 },
};

struct dossier_def {
	const char *kind;
	const char *fr, *ar;
	int commission;
	int owner_seat;		/* the vice-president responsible */
};

static const struct dossier_def dossiers[] = {
	{ "budget", "Projet de budget de la Commune", "مشروع ميزانية الجماعة",
	  0, 1 },
	{ "convention", "Convention de réhabilitation de l'ancienne médina",
	  "اتفاقية تأهيل المدينة القديمة", 1, 2 },
	{ "convention", "Gestion déléguée de l'éclairage public",
	  "التدبير المفوض للإنارة العمومية", 2, 3 },
	{ "budget", "Affectation de l'excédent budgétaire",
	  "تخصيص فائض الميزانية", 0, 1 },
	{ "convention", "Aménagement du corridor du tramway T3",
	  "تهيئة ممر الترامواي T3", 5, 4 },
	{ "cooperation", "Coopération décentralisée avec la Ville de Dakar",
	  "التعاون اللامركزي مع مدينة داكار", 3, 5 },
	{ "subvention", "Subventions aux associations sportives",
	  "المنح المخصصة للجمعيات الرياضية", 4, 6 },
	{ "environnement", "Plan communal de gestion des déchets ménagers",
	  "المخطط الجماعي لتدبير النفايات المنزلية", 2, 7 },
	{ "urbanisme", "Permis de lotir, lotissement Al Amal, Sidi Moumen",
	  "رخصة التجزئة، تجزئة الأمل، سيدي مومن", 1, 8 },
	{ "patrimoine", "Location de locaux communaux au boulevard Zerktouni",
	  "كراء محلات جماعية بشارع الزرقطوني", 3, 9 },
	{ "personnel", "Plan de formation du personnel communal",
	  "مخطط تكوين الموظفين الجماعيين", 4, 10 },
	{ "marche", "Marché de nettoiement des plages de Aïn Diab",
	  "صفقة تنظيف شواطئ عين الذئاب", 2, 3 },
};

static enum majlis_status
create_dossier(struct demo *d, int k, int64_t due, int64_t *id)
{
	const struct dossier_def *x = &dossiers[k];
	char now[TIME_LEN], ref[32], due_text[TIME_LEN], owner[16];
	int year = clock_local_date(d->e->clock, clock_now(d->e->clock)).y;
	int64_t seq;
	enum majlis_status rc;
	struct buf counter = BUF_INIT;

	buf_addf(&counter, "dossier/%d", year);
	rc = store_counter_next(d->e->store, d->err, counter.data, &seq);
	buf_release(&counter);
	if (rc != MAJLIS_OK)
		return rc;
	snprintf(ref, sizeof(ref), "DOS-%d-%04lld", year, (long long)seq);
	snprintf(owner, sizeof(owner), "E%04d", x->owner_seat + 1);
	now_text(d, now);
	time_format_utc(due, due_text);
	rc = store_exec(d->e->store, d->err,
			"INSERT INTO dossier(ref, kind, title_fr, title_ar,"
			" body_id, organization_id, owner_id, due_at, state,"
			" state_since, created_at)"
			" VALUES (?1, ?2, ?3, ?4,"
			" (SELECT id FROM body WHERE code = 'CASA'),"
			" (SELECT id FROM organization WHERE code = ?5),"
			" (SELECT id FROM person WHERE code = ?6), ?7, ?8, ?9,"
			" ?9)",
			"sssssssss", ref, x->kind, x->fr, x->ar,
			commissions[x->commission], owner, due_text,
			initial(d, OBJ_DOSSIER), now);
	if (rc == MAJLIS_OK) {
		*id = store_last_id(d->e->store);
		d->c->dossiers++;
		rc = audit_create(d, "dossier", *id);
	}
	return rc;
}

static enum majlis_status
create_items(struct demo *d, int64_t meeting, const struct item_def *items,
	     int first, int last, const int64_t *dossier_ids, int64_t *ids)
{
	char now[TIME_LEN];
	enum majlis_status rc = MAJLIS_OK;

	now_text(d, now);
	for (int i = first; i < last && rc == MAJLIS_OK; i++) {
		const struct item_def *it = &items[i];
		struct stmt *s = store_prepare(
			d->e->store,
			"INSERT INTO agenda_item(meeting_id, number, title_fr,"
			" title_ar, rapporteur_id, dossier_id, state,"
			" state_since, created_at)"
			" VALUES (?1, ?2, ?3, ?4,"
			" (SELECT m.person_id FROM membership m"
			"  JOIN organization g ON g.id = m.organization_id"
			"  WHERE g.code = ?5 AND m.role = 'president'),"
			" ?6, ?7, ?8, ?8)");

		stmt_bind_int(s, 1, meeting);
		stmt_bind_int(s, 2, i + 1);
		stmt_bind_text(s, 3, it->fr);
		stmt_bind_text(s, 4, it->ar);
		stmt_bind_text(s, 5, commissions[it->commission]);
		if (it->dossier >= 0 && dossier_ids[it->dossier])
			stmt_bind_int(s, 6, dossier_ids[it->dossier]);
		stmt_bind_text(s, 7, initial(d, OBJ_AGENDA_ITEM));
		stmt_bind_text(s, 8, now);
		if (stmt_step(s) < 0)
			rc = error(d->err, MAJLIS_ERR_STORE, "demo item: %s",
				   store_errmsg(d->e->store));
		stmt_done(s);
		if (rc == MAJLIS_OK) {
			ids[i] = store_last_id(d->e->store);
			d->c->items++;
			rc = audit_create(d, "agenda_item", ids[i]);
		}
	}
	return rc;
}

/* 10:00 on the first working Tuesday of a month, and the Thursday. */
static void
session_days(struct demo *d, int y, int m, int64_t *m1, int64_t *m2)
{
	struct date day = { y, m, 1 };

	while (date_weekday(day) != 2)
		day = date_add_days(day, 1);
	day = calendar_add_working_days(d->e->cal, day, 0);
	*m1 = clock_from_local(d->e->clock, day, 10, 0, 0);
	day = calendar_add_working_days(d->e->cal, date_add_days(day, 1), 1);
	*m2 = clock_from_local(d->e->clock, day, 10, 0, 0);
}

static int
statutory(int m)
{
	return m == 2 || m == 5 || m == 10;
}

/* Month names with their preposition, elided as French writes them. */
static const char *const month_fr[] = { "", "de janvier", "de février",
	"de mars", "d'avril", "de mai", "de juin", "de juillet", "d'août",
	"de septembre", "d'octobre", "de novembre", "de décembre" };
static const char *const month_ar[] = { "", "يناير", "فبراير", "مارس",
	"أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر",
	"دجنبر" };

static enum majlis_status
create_session(struct demo *d, int y, int m, int64_t *id)
{
	struct buf fr = BUF_INIT, ar = BUF_INIT;
	char opens[DATE_LEN];
	enum majlis_status rc;

	buf_addf(&fr, "Session ordinaire du mois %s %d", month_fr[m], y);
	buf_addf(&ar, "الدورة العادية لشهر %s %d", month_ar[m], y);
	date_format((struct date){ y, m, 1 }, opens);
	rc = store_exec(d->e->store, d->err,
			"INSERT INTO session(organization_id, kind, year, month,"
			" title_fr, title_ar, opens_on)"
			" VALUES ((SELECT id FROM organization WHERE code = 'CC'),"
			" 'ordinary', ?1, ?2, ?3, ?4, ?5)",
			"ddsss", y, m, fr.data, ar.data, opens);
	if (rc == MAJLIS_OK) {
		*id = store_last_id(d->e->store);
		d->c->sessions++;
	}
	buf_release(&fr);
	buf_release(&ar);
	return rc;
}

/* The last statutory session fully past, and the next one that can still
 * be convoked with ten days' notice. */
static void
pick_sessions(struct demo *d, int *py, int *pm, int *ny, int *nm)
{
	struct date today = clock_local_date(d->e->clock, d->now);
	int y = today.y, m = today.m;
	int64_t m1, m2;

	for (;;) {
		if (statutory(m)) {
			session_days(d, y, m, &m1, &m2);
			if (m1 >= d->now + 11 * 86400)
				break;
		}
		if (++m > 12)
			m = 1, y++;
	}
	*ny = y, *nm = m;
	y = today.y, m = today.m;
	for (;;) {
		if (statutory(m)) {
			session_days(d, y, m, &m1, &m2);
			if (m2 + 12 * 3600 <= d->now - 3 * 86400)
				break;
		}
		if (--m < 1)
			m = 12, y--;
	}
	*py = y, *pm = m;
}

static char *
votes(int f, int a, int b, char out[3][32])
{
	snprintf(out[0], 32, "votes_for=%d", f);
	snprintf(out[1], 32, "votes_against=%d", a);
	snprintf(out[2], 32, "votes_abstain=%d", b);
	return out[0];
}

/* What the minutes say of a point: the debate, before the vote; the
 * number of members who spoke goes between the two halves. */
static const struct {
	const char *fr[2], *ar[2];
} debates[] = {
	{ { "Le rapporteur de la commission compétente a présenté le rapport "
	    "de la commission et son avis. Après les interventions de ",
	    " membres et les réponses de la présidence, le point a été "
	    "soumis au vote." },
	  { "قدم مقرر اللجنة المختصة تقرير اللجنة ورأيها. وبعد تدخلات ",
	    " من الأعضاء وردود الرئاسة، عرضت النقطة على التصويت." } },
	{ { "Après la présentation du projet par la présidence et le rapport "
	    "de la commission compétente, ",
	    " membres sont intervenus, notamment sur le coût et le calendrier "
	    "de réalisation, avant le vote." },
	  { "بعد تقديم المشروع من طرف الرئاسة وتقرير اللجنة المختصة، تدخل ",
	    " من الأعضاء، ولا سيما بخصوص الكلفة والجدولة الزمنية للإنجاز، "
	    "قبل التصويت." } },
	{ { "Le point a été présenté par le rapporteur de la commission. Le "
	    "débat, auquel ",
	    " membres ont pris part, a porté sur les modalités de suivi et "
	    "d'évaluation ; le point a ensuite été mis aux voix." },
	  { "قدم مقرر اللجنة النقطة، وتناول النقاش الذي شارك فيه ",
	    " من الأعضاء كيفيات التتبع والتقييم، ثم عرضت النقطة على "
	    "التصويت." } },
};

/*
 * Invitees answer, attend and vote; the meeting is held and closed.
 * clerk records the attendance, the opening and the votes; closer
 * closes the meeting.
 */
static enum majlis_status
hold_meeting(struct demo *d, int64_t meeting, int64_t start,
	     const int64_t *items, int first, int last, int postponed_item,
	     const char *clerk, const char *closer)
{
	int64_t *inv = NULL;
	size_t ninv = 0, cap = 0;
	struct stmt *s;
	enum majlis_status rc = MAJLIS_OK;
	int present = 0, step;
	char **answer_codes = NULL;

	s = store_prepare(d->e->store,
			  "SELECT i.id, p.code FROM invitation i"
			  " JOIN person p ON p.id = i.person_id"
			  " WHERE i.meeting_id = ?1 ORDER BY i.id");
	stmt_bind(s, "i", meeting);
	while ((step = stmt_step(s)) == 1) {
		xgrow(&inv, &cap, ninv + 1, sizeof(*inv));
		answer_codes = xrealloc(answer_codes,
					(ninv + 1) * sizeof(char *));
		inv[ninv] = stmt_int(s, 0);
		answer_codes[ninv] = xstrdup(stmt_text(s, 1));
		ninv++;
	}
	stmt_done(s);
	if (step < 0)
		rc = error(d->err, MAJLIS_ERR_STORE, "%s",
			   store_errmsg(d->e->store));
	/* Three days before: most answer. */
	when(d, start - 3 * 86400);
	for (size_t i = 0; i < ninv && rc == MAJLIS_OK; i++) {
		int roll = rng_below(&d->rng, 100);
		const char *ev = roll < 72 ? "accept"
			       : roll < 82 ? "decline"
			       : roll < 88 ? "tentative"
					   : NULL;

		if (ev)
			rc = act(d, OBJ_INVITATION, inv[i], ev,
				 answer_codes[i], NULL);
	}
	if (rc == MAJLIS_OK)
		rc = tick_at(d, start - 3 * 86400 + 60);
	if (rc == MAJLIS_OK)
		rc = tick_at(d, start);
	/* At the meeting: the secretary (seat 11) records who came. */
	when(d, start + 20 * 60);
	for (size_t i = 0; i < ninv && rc == MAJLIS_OK; i++) {
		int roll = rng_below(&d->rng, 100);
		const char *att = roll < 80 ? "attendance=present"
				: roll < 92 ? "attendance=excused"
					    : "attendance=absent";
		const char *set[] = { att, NULL };

		present += roll < 80;
		rc = act(d, OBJ_INVITATION, inv[i], "attendance", clerk, set);
	}
	if (rc == MAJLIS_OK) {
		char count[32];
		const char *set[] = { count, NULL };

		snprintf(count, sizeof(count), "present_count=%d", present);
		when(d, start + 30 * 60);
		rc = act(d, OBJ_MEETING, meeting, "hold", clerk, set);
	}
	for (int i = first; i < last && rc == MAJLIS_OK; i++) {
		char v[3][32];
		struct buf sfr = BUF_INIT, sar = BUF_INIT;
		const char *set[] = { NULL, v[1], v[2], NULL, NULL, NULL };
		int against = rng_below(&d->rng, present / 5 + 1);
		int abstain = rng_below(&d->rng, present / 8 + 1);
		int kind = (int)rng_below(&d->rng, (int)N(debates));
		int speakers = 2 + (int)rng_below(&d->rng, 7);

		if (i == postponed_item)
			continue;
		set[0] = votes(present - against - abstain, against, abstain,
			       v);
		buf_addf(&sfr, "summary_fr=%s%d%s", debates[kind].fr[0],
			 speakers, debates[kind].fr[1]);
		buf_addf(&sar, "summary_ar=%s%d%s", debates[kind].ar[0],
			 speakers, debates[kind].ar[1]);
		set[3] = sfr.data;
		set[4] = sar.data;
		when(d, start + (40 + 20 * (i - first)) * 60);
		rc = act(d, OBJ_AGENDA_ITEM, items[i], "vote", clerk, set);
		buf_release(&sfr);
		buf_release(&sar);
	}
	if (rc == MAJLIS_OK) {
		when(d, start + 4 * 3600);
		rc = act(d, OBJ_MEETING, meeting, "close", closer, NULL);
	}
	if (rc == MAJLIS_OK)
		rc = tick_at(d, start + 4 * 3600 + 60);
	for (size_t i = 0; i < ninv; i++)
		free(answer_codes[i]);
	free(answer_codes);
	free(inv);
	return rc;
}

struct petition_def {
	const char *kind;
	const char *fr, *ar;
	const char *lead;
	int signatures;
	int days_ago;
	const char *body;
};

static const struct petition_def petitions[] = {
	{ "citizens",
	  "Aménagement d'espaces verts et d'aires de jeux à Ben M'Sick",
	  "تهيئة مساحات خضراء وفضاءات لعب الأطفال ببن امسيك",
	  "Collectif des habitants de Ben M'Sick", 612, 75, "CASA" },
	{ "association",
	  "Éclairage public du boulevard Al Qods à Sidi Bernoussi",
	  "الإنارة العمومية لشارع القدس بسيدي البرنوصي",
	  "Association Al Amal pour le développement", 0, 52, "CASA" },
	{ "citizens", "Création d'une ligne de bus vers Lahraouiyine",
	  "إحداث خط للحافلات نحو الهراويين",
	  "Comité de quartier de Lahraouiyine", 488, 130, "CASA" },
	{ "citizens", "Réouverture du marché municipal de Derb Ghallef",
	  "إعادة فتح السوق البلدي بدرب غلف",
	  "Commerçants du marché de Derb Ghallef", 356, 40, "CASA" },
	{ "association",
	  "Ouverture d'une bibliothèque de quartier à Hay Mohammadi",
	  "فتح مكتبة للقرب بالحي المحمدي",
	  "Association Carrières Centrales pour la culture", 0, 4,
	  "CASA" },
};

static enum majlis_status
create_petition(struct demo *d, int k, int64_t *id)
{
	const struct petition_def *p = &petitions[k];
	char now[TIME_LEN], ref[32];
	int year = clock_local_date(d->e->clock, clock_now(d->e->clock)).y;
	int64_t seq;
	struct buf counter = BUF_INIT;
	enum majlis_status rc;

	buf_addf(&counter, "petition/%d", year);
	rc = store_counter_next(d->e->store, d->err, counter.data, &seq);
	buf_release(&counter);
	if (rc != MAJLIS_OK)
		return rc;
	snprintf(ref, sizeof(ref), "PET-%d-%04lld", year, (long long)seq);
	now_text(d, now);
	rc = store_exec(d->e->store, d->err,
			"INSERT INTO petition(ref, body_id, kind, title_fr,"
			" title_ar, lead_name, lead_email, signatures,"
			" received_at, state, state_since, created_at)"
			" VALUES (?1, (SELECT id FROM body WHERE code = ?2),"
			" ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9, ?9)",
			"sssssssdss", ref, p->body, p->kind, p->fr, p->ar,
			p->lead, "petitions@example.ma", p->signatures, now,
			initial(d, OBJ_PETITION));
	if (rc == MAJLIS_OK) {
		*id = store_last_id(d->e->store);
		d->c->petitions++;
		rc = audit_create(d, "petition", *id);
	}
	return rc;
}

struct task_def {
	const char *fr, *ar;
	int staff;		/* index among the staff */
	int due_days;		/* from now; negative: already late */
	int done;
};

static const struct task_def tasks[] = {
	{ "Préparer le dossier de la session pour les élus",
	  "إعداد ملف الدورة لفائدة الأعضاء", 1, 5, 0 },
	{ "Réserver la salle des délibérations et la sonorisation",
	  "حجز قاعة المداولات والتجهيزات الصوتية", 6, 10, 0 },
	{ "Transmettre l'ordre du jour au gouverneur",
	  "إرسال جدول الأعمال إلى العامل", 1, -2, 0 },
	{ "Publier les décisions de la dernière session au bulletin",
	  "نشر مقررات الدورة الأخيرة في النشرة", 2, -9, 0 },
	{ "Mettre à jour le registre des délibérations",
	  "تحيين سجل المداولات", 7, -20, 1 },
	{ "Répondre au courrier de la Trésorerie préfectorale",
	  "الرد على مراسلة الخزينة الإقليمية", 3, 3, 0 },
	{ "Archiver les procès-verbaux de la session écoulée",
	  "أرشفة محاضر الدورة المنصرمة", 8, -15, 1 },
	{ "Vérifier les adresses électroniques manquantes des élus",
	  "التحقق من العناوين الإلكترونية الناقصة للأعضاء", 9, 7, 0 },
};

static enum majlis_status
create_task(struct demo *d, int k, int64_t *id)
{
	const struct task_def *t = &tasks[k];
	char now[TIME_LEN], due[TIME_LEN];
	enum majlis_status rc;

	now_text(d, now);
	time_format_utc(d->now + (int64_t)t->due_days * 86400, due);
	rc = store_exec(d->e->store, d->err,
			"INSERT INTO task(title_fr, title_ar, assignee_id,"
			" due_at, state, state_since, created_at)"
			" VALUES (?1, ?2,"
			" (SELECT id FROM person WHERE code = ?3), ?4, ?5, ?6,"
			" ?6)",
			"ssssss", t->fr, t->ar, staff(d, t->staff)->code, due,
			initial(d, OBJ_TASK), now);
	if (rc == MAJLIS_OK) {
		*id = store_last_id(d->e->store);
		d->c->tasks++;
		rc = audit_create(d, "task", *id);
	}
	return rc;
}

static enum majlis_status
in_tx(struct demo *d, enum majlis_status (*fn)(struct demo *, int, int64_t *),
      int k, int64_t *id)
{
	enum majlis_status rc = store_begin(d->e->store, d->err);

	if (rc == MAJLIS_OK)
		rc = fn(d, k, id);
	if (rc == MAJLIS_OK)
		rc = store_commit(d->e->store, d->err);
	else
		store_rollback(d->e->store);
	return rc;
}

static enum majlis_status
dossier_fn(struct demo *d, int k, int64_t *id)
{
	return create_dossier(d, k, d->now + (k % 4 == 2 ? -6 : 20 + k) * 86400,
			      id);
}

/* Receives the petitions dated in [from, until), oldest first. */
static enum majlis_status
receive_petitions(struct demo *d, int64_t *ids, int64_t from, int64_t until)
{
	enum majlis_status rc = MAJLIS_OK;
	int order[N(petitions)];

	/* Oldest first, so that the replayed clock runs forward. */
	for (int k = 0; k < (int)N(petitions); k++) {
		int j = k;

		while (j > 0 && petitions[order[j - 1]].days_ago <
					petitions[k].days_ago) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = k;
	}
	for (int i = 0; i < (int)N(petitions) && rc == MAJLIS_OK; i++) {
		int k = order[i];
		int64_t t = d->now - (int64_t)petitions[k].days_ago * 86400;

		if (t < from || t >= until)
			continue;
		when(d, t);
		rc = in_tx(d, create_petition, k, &ids[k]);
		if (rc == MAJLIS_OK)
			rc = tick_at(d, clock_now(d->e->clock) + 60);
	}
	return rc;
}

static enum majlis_status
history(struct demo *d)
{
	int py, pm, ny, nm;
	int64_t p1, p2, n1, n2, psess, nsess, pm1, pm2, nm1, nm2, com;
	int64_t dossier_ids[N(dossiers)] = { 0 };
	int64_t past_ids[N(past_items)], next_ids[N(next_items)];
	int64_t pcom, pcom_ids[N(past_items)];
	int64_t pet_ids[N(petitions)], task_ids[N(tasks)];
	struct meeting_def md;
	enum majlis_status rc;
	struct buf fr = BUF_INIT, ar = BUF_INIT;
	const char *dgs = staff(d, 0)->code;

	pick_sessions(d, &py, &pm, &ny, &nm);
	session_days(d, py, pm, &p1, &p2);
	session_days(d, ny, nm, &n1, &n2);
	d->last = INT64_MIN + 1;

	/* Petitions received before the last session was prepared. */
	for (int k = 0; k < (int)N(petitions); k++)
		pet_ids[k] = 0;
	rc = receive_petitions(d, pet_ids, INT64_MIN, p1 - 21 * 86400);
	if (rc != MAJLIS_OK)
		return rc;

	/* The past session, prepared three weeks ahead. */
	when(d, p1 - 21 * 86400);
	rc = store_begin(d->e->store, d->err);
	if (rc == MAJLIS_OK)
		rc = create_session(d, py, pm, &psess);
	for (int k = 0; k < 3 && rc == MAJLIS_OK; k++)
		rc = dossier_fn(d, k, &dossier_ids[k]);
	if (rc == MAJLIS_OK) {
		buf_addf(&fr, "Première séance de la session ordinaire %s %d",
			 month_fr[pm], py);
		buf_addf(&ar, "الجلسة الأولى للدورة العادية لشهر %s %d",
			 month_ar[pm], py);
		md = (struct meeting_def){ psess, "CC", 1, fr.data, ar.data,
					   p1, p1 + 5 * 3600 };
		rc = create_meeting(d, &md, &pm1);
	}
	if (rc == MAJLIS_OK) {
		buf_reset(&fr);
		buf_reset(&ar);
		buf_addf(&fr, "Deuxième séance de la session ordinaire %s %d",
			 month_fr[pm], py);
		buf_addf(&ar, "الجلسة الثانية للدورة العادية لشهر %s %d",
			 month_ar[pm], py);
		md = (struct meeting_def){ psess, "CC", 2, fr.data, ar.data,
					   p2, p2 + 5 * 3600 };
		rc = create_meeting(d, &md, &pm2);
	}
	/* The budget commission prepares the session a week ahead. */
	if (rc == MAJLIS_OK) {
		md = (struct meeting_def){
			0, "CC-COM-BUDGET", 1,
			"Réunion de la commission du budget : examen des "
			"points budgétaires de la session",
			"اجتماع لجنة الميزانية: دراسة النقط المتعلقة بالميزانية "
			"المدرجة في الدورة",
			p1 - 7 * 86400 + 5 * 3600, p1 - 7 * 86400 + 8 * 3600
		};
		rc = create_meeting(d, &md, &pcom);
	}
	if (rc == MAJLIS_OK)
		rc = create_items(d, pcom, past_items, 0, 2, dossier_ids,
				  pcom_ids);
	if (rc == MAJLIS_OK)
		rc = create_items(d, pm1, past_items, 0, 5, dossier_ids,
				  past_ids);
	if (rc == MAJLIS_OK)
		rc = create_items(d, pm2, past_items, 5, 8, dossier_ids,
				  past_ids);
	if (rc == MAJLIS_OK)
		rc = store_commit(d->e->store, d->err);
	else
		store_rollback(d->e->store);
	/* Their dossiers go to review and are approved. */
	for (int k = 0; k < 3 && rc == MAJLIS_OK; k++) {
		char due[64];
		const char *set[] = { due, NULL };
		char who[16];

		snprintf(due, sizeof(due), "comment=Transmis par la DGS");
		rc = act(d, OBJ_DOSSIER, dossier_ids[k], "submit", dgs, set);
		snprintf(who, sizeof(who), "E%04d", dossiers[k].owner_seat + 1);
		when(d, p1 - 18 * 86400 + k * 3600);
		if (rc == MAJLIS_OK)
			rc = act(d, OBJ_DOSSIER, dossier_ids[k], "approve", who,
				 NULL);
	}
	/* Convocation, two weeks ahead, by the president. */
	when(d, p1 - 14 * 86400);
	if (rc == MAJLIS_OK)
		rc = act(d, OBJ_MEETING, pm1, "convoke", "E0001", NULL);
	if (rc == MAJLIS_OK)
		rc = act(d, OBJ_MEETING, pm2, "convoke", "E0001", NULL);
	if (rc == MAJLIS_OK)
		rc = act(d, OBJ_MEETING, pcom, "convoke", dgs, NULL);
	if (rc == MAJLIS_OK)
		rc = tick_at(d, p1 - 14 * 86400 + 60);
	if (rc == MAJLIS_OK)
		rc = hold_meeting(d, pcom, p1 - 7 * 86400 + 5 * 3600, pcom_ids,
				  0, 2, -1, dgs, dgs);
	if (rc == MAJLIS_OK)
		rc = hold_meeting(d, pm1, p1, past_ids, 0, 5, -1, "E0012",
				  "E0001");
	/* The last point of the second sitting is not reached. */
	if (rc == MAJLIS_OK)
		rc = hold_meeting(d, pm2, p2, past_ids, 5, 8, 7, "E0012",
				  "E0001");

	/* Petitions received since. */
	if (rc == MAJLIS_OK)
		rc = receive_petitions(d, pet_ids, p1 - 21 * 86400, INT64_MAX);

	/* Tasks of the administration. */
	for (int k = 0; k < (int)N(tasks) && rc == MAJLIS_OK; k++) {
		when(d, d->now - 30 * 86400 + k * 3600);
		rc = in_tx(d, create_task, k, &task_ids[k]);
		if (rc == MAJLIS_OK)
			rc = act(d, OBJ_TASK, task_ids[k], "assign", dgs, NULL);
		if (rc == MAJLIS_OK && tasks[k].done)
			rc = act(d, OBJ_TASK, task_ids[k], "complete",
				 staff(d, tasks[k].staff)->code, NULL);
	}
	/* The next session, in preparation since yesterday. */
	when(d, d->now - 86400);
	rc = rc == MAJLIS_OK ? store_begin(d->e->store, d->err) : rc;
	if (rc == MAJLIS_OK)
		rc = create_session(d, ny, nm, &nsess);
	for (int k = 3; k < (int)N(dossiers) && rc == MAJLIS_OK; k++)
		rc = dossier_fn(d, k, &dossier_ids[k]);
	if (rc == MAJLIS_OK) {
		buf_reset(&fr);
		buf_reset(&ar);
		buf_addf(&fr, "Première séance de la session ordinaire %s %d",
			 month_fr[nm], ny);
		buf_addf(&ar, "الجلسة الأولى للدورة العادية لشهر %s %d",
			 month_ar[nm], ny);
		md = (struct meeting_def){ nsess, "CC", 1, fr.data, ar.data,
					   n1, n1 + 5 * 3600 };
		rc = create_meeting(d, &md, &nm1);
	}
	if (rc == MAJLIS_OK) {
		buf_reset(&fr);
		buf_reset(&ar);
		buf_addf(&fr, "Deuxième séance de la session ordinaire %s %d",
			 month_fr[nm], ny);
		buf_addf(&ar, "الجلسة الثانية للدورة العادية لشهر %s %d",
			 month_ar[nm], ny);
		md = (struct meeting_def){ nsess, "CC", 2, fr.data, ar.data,
					   n2, n2 + 5 * 3600 };
		rc = create_meeting(d, &md, &nm2);
	}
	if (rc == MAJLIS_OK) {
		md = (struct meeting_def){
			0, "CC-COM-BUDGET", 1,
			"Réunion de la commission du budget : préparation de "
			"la session",
			"اجتماع لجنة الميزانية: التحضير للدورة",
			n1 - 7 * 86400 + 5 * 3600, n1 - 7 * 86400 + 8 * 3600
		};
		rc = create_meeting(d, &md, &com);
	}
	if (rc == MAJLIS_OK)
		rc = create_items(d, nm1, next_items, 0, 7, dossier_ids,
				  next_ids);
	if (rc == MAJLIS_OK)
		rc = create_items(d, nm2, next_items, 7, 12, dossier_ids,
				  next_ids);
	if (rc == MAJLIS_OK)
		rc = store_commit(d->e->store, d->err);
	else
		store_rollback(d->e->store);
	/* The point not reached at the last session moves to this one. */
	if (rc == MAJLIS_OK) {
		char where[32];
		const char *set[] = { where, NULL };

		const char *set2[] = { where, "number=13", NULL };

		(void)set;
		snprintf(where, sizeof(where), "meeting_id=%lld",
			 (long long)nm2);
		rc = act(d, OBJ_AGENDA_ITEM, past_ids[7], "move", "E0001",
			 set2);
	}
	/* Dossiers of the next session, in every state. */
	for (int k = 3; k < (int)N(dossiers) && rc == MAJLIS_OK; k++) {
		char who[16];
		const char *note[] = { "comment=Pièces justificatives à "
				       "compléter (avis de la commission)",
				       NULL };

		snprintf(who, sizeof(who), "E%04d", dossiers[k].owner_seat + 1);
		if (k == 11)
			continue; /* stays created */
		rc = act(d, OBJ_DOSSIER, dossier_ids[k], "submit", dgs, NULL);
		if (rc != MAJLIS_OK || k >= 8)
			continue; /* in review */
		if (k == 3 || k == 4 || k == 5)
			rc = act(d, OBJ_DOSSIER, dossier_ids[k], "approve", who,
				 NULL);
		else if (k == 6)
			rc = act(d, OBJ_DOSSIER, dossier_ids[k], "return", who,
				 note);
		else if (k == 7)
			rc = act(d, OBJ_DOSSIER, dossier_ids[k], "reject", who,
				 note);
	}
	/* Petitions: review, admission, scheduling, one rejection. */
	if (rc == MAJLIS_OK)
		rc = act(d, OBJ_PETITION, pet_ids[0], "review", dgs, NULL);
	if (rc == MAJLIS_OK)
		rc = act(d, OBJ_PETITION, pet_ids[0], "admit", "E0002", NULL);
	if (rc == MAJLIS_OK) {
		char where[32];
		const char *set[] = { where, NULL };

		snprintf(where, sizeof(where), "meeting_id=%lld",
			 (long long)nm2);
		rc = act(d, OBJ_PETITION, pet_ids[0], "schedule", "E0001", set);
	}
	if (rc == MAJLIS_OK)
		rc = act(d, OBJ_PETITION, pet_ids[1], "review", dgs, NULL);
	if (rc == MAJLIS_OK)
		rc = act(d, OBJ_PETITION, pet_ids[2], "review", dgs, NULL);
	if (rc == MAJLIS_OK) {
		const char *set[] = {
			"reason=La demande relève de la compétence de "
			"l'établissement de coopération intercommunale chargé "
			"du transport",
			NULL
		};

		rc = act(d, OBJ_PETITION, pet_ids[1], "reject", "E0001", set);
	}
	if (rc == MAJLIS_OK)
		rc = act(d, OBJ_PETITION, pet_ids[3], "review", dgs, NULL);
	if (rc == MAJLIS_OK)
		rc = act(d, OBJ_PETITION, pet_ids[3], "admit", "E0003", NULL);
	/* The budget commission meets before the session. */
	when(d, d->now - 2 * 86400);
	if (rc == MAJLIS_OK)
		rc = act(d, OBJ_MEETING, com, "convoke", dgs, NULL);
	if (rc == MAJLIS_OK)
		rc = tick_at(d, d->now - 2 * 86400 + 60);
	/* The president signs the convocation of the next session: the
	 * first `majlis run` sends it. */
	if (rc == MAJLIS_OK) {
		struct event_spec ev;
		int64_t eid;

		when(d, d->now - 5 * 60);
		memset(&ev, 0, sizeof(ev));
		ev.kind = OBJ_MEETING;
		ev.object_id = nm1;
		ev.name = "convoke";
		ev.actor_id = person_id(d, "E0001");
		ev.source = "demo";
		ev.cause = "demo: convocation signed by the president";
		rc = event_record(d->e, &ev, &eid, d->err);
	}
	buf_release(&fr);
	buf_release(&ar);
	return rc;
}

enum majlis_status
demo_build(struct engine *e, rec_cb cb, void *ctx, struct demo_counts *counts,
	   struct buf *err)
{
	struct demo d;
	const struct mail_config *saved_mail = e->mail;
	struct mail_config replay_mail;
	enum majlis_status rc;

	memset(&d, 0, sizeof(d));
	memset(counts, 0, sizeof(*counts));
	d.e = e;
	d.cb = cb;
	d.ctx = ctx;
	d.c = counts;
	d.err = err;
	d.rng.s = 0x6d616a6c6973ULL; /* "majlis" */
	d.now = clock_now(e->clock);
	buf_init(&d.csv);
	/* The history sends what its events send, but neither daily
	 * digests nor calendar feeds: those are about the present, and the
	 * first majlis run makes them (digest.h, feed.h). */
	if (saved_mail) {
		replay_mail = *saved_mail;
		replay_mail.digest_hour = DIGEST_NEVER;
		replay_mail.feed_dir = NULL;
		e->mail = &replay_mail;
	}
	rc = build_orgchart(&d);
	if (rc == MAJLIS_OK)
		rc = history(&d);
	e->mail = saved_mail;
	clock_set_now(e->clock, d.now);
	free(d.people);
	buf_release(&d.csv);
	return rc;
}
