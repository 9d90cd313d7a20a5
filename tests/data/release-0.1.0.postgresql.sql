--
-- PostgreSQL database dump
--

\restrict release-fixture

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: tambon_append_only(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.tambon_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
   BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: alembic_version; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alembic_version (
    version_num character varying(32) NOT NULL
);


--
-- Name: api_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.api_tokens (
    id integer NOT NULL,
    user_id integer NOT NULL,
    label character varying(100) NOT NULL,
    token_hash character varying(64) NOT NULL,
    created_at timestamp without time zone NOT NULL,
    revoked boolean NOT NULL
);


--
-- Name: api_tokens_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.api_tokens_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: api_tokens_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.api_tokens_id_seq OWNED BY public.api_tokens.id;


--
-- Name: complaint_access_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.complaint_access_log (
    id integer NOT NULL,
    complaint_id integer NOT NULL,
    user_id integer NOT NULL,
    at timestamp without time zone NOT NULL,
    what character varying(32) NOT NULL,
    address character varying(64)
);


--
-- Name: complaint_access_log_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.complaint_access_log_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: complaint_access_log_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.complaint_access_log_id_seq OWNED BY public.complaint_access_log.id;


--
-- Name: complaint_attachments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.complaint_attachments (
    id integer NOT NULL,
    complaint_id integer NOT NULL,
    filename character varying(200) NOT NULL,
    content_type character varying(64) NOT NULL,
    size integer NOT NULL,
    sha256 character varying(64) NOT NULL,
    data bytea NOT NULL,
    uploaded_at timestamp without time zone NOT NULL
);


--
-- Name: complaint_attachments_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.complaint_attachments_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: complaint_attachments_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.complaint_attachments_id_seq OWNED BY public.complaint_attachments.id;


--
-- Name: complaint_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.complaint_events (
    id integer NOT NULL,
    complaint_id integer NOT NULL,
    type character varying(16) NOT NULL,
    at timestamp without time zone NOT NULL,
    user_id integer,
    actor character varying(16) NOT NULL,
    from_status character varying(16),
    to_status character varying(16),
    public boolean NOT NULL,
    text text,
    detail json
);


--
-- Name: complaint_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.complaint_events_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: complaint_events_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.complaint_events_id_seq OWNED BY public.complaint_events.id;


--
-- Name: complaints; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.complaints (
    id integer NOT NULL,
    tracking_code character varying(16) NOT NULL,
    pin_hash character varying(128) NOT NULL,
    pin_failures integer NOT NULL,
    pin_locked_until timestamp without time zone,
    type character varying(24) NOT NULL,
    status character varying(16) NOT NULL,
    channel character varying(24) NOT NULL,
    source character varying(32),
    subject character varying(200) NOT NULL,
    details text NOT NULL,
    place character varying(300),
    occurred_on date,
    anonymous boolean NOT NULL,
    contact_name character varying(200),
    contact_phone character varying(40),
    contact_email character varying(254),
    contact_line_id character varying(100),
    notify_citizen boolean NOT NULL,
    consent_at timestamp without time zone,
    named_staff_user_id integer,
    named_staff_text character varying(200),
    division character varying(100),
    assigned_user_id integer,
    forwarded_to character varying(200),
    reject_reason text,
    public_answer text,
    received_at timestamp without time zone NOT NULL,
    ack_due_at timestamp without time zone NOT NULL,
    due_at timestamp without time zone NOT NULL,
    original_due_at timestamp without time zone NOT NULL,
    acknowledged_at timestamp without time zone,
    answered_at timestamp without time zone,
    first_answered_at timestamp without time zone,
    closed_at timestamp without time zone,
    reopen_count integer NOT NULL,
    dedupe_hash character varying(64) NOT NULL,
    created_by_user_id integer,
    personal_data_purged_at timestamp without time zone,
    updated_at timestamp without time zone NOT NULL
);


--
-- Name: complaints_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.complaints_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: complaints_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.complaints_id_seq OWNED BY public.complaints.id;


--
-- Name: counter_services; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.counter_services (
    counter_id integer NOT NULL,
    service_id integer NOT NULL,
    "position" integer NOT NULL
);


--
-- Name: counters; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.counters (
    id integer NOT NULL,
    name character varying(100) NOT NULL,
    name_en character varying(100) NOT NULL,
    active boolean NOT NULL,
    current_ticket_id integer,
    priority_streak integer NOT NULL
);


--
-- Name: counters_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.counters_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: counters_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.counters_id_seq OWNED BY public.counters.id;


--
-- Name: daily_sequences; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.daily_sequences (
    business_date date NOT NULL,
    service_id integer NOT NULL,
    last_number integer NOT NULL
);


--
-- Name: display_devices; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.display_devices (
    id integer NOT NULL,
    device_key character varying(64) NOT NULL,
    kind character varying(16) NOT NULL,
    name character varying(100) NOT NULL,
    address character varying(64),
    page character varying(200),
    sound_on boolean,
    first_seen_at timestamp without time zone NOT NULL,
    last_seen_at timestamp without time zone NOT NULL
);


--
-- Name: display_devices_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.display_devices_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: display_devices_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.display_devices_id_seq OWNED BY public.display_devices.id;


--
-- Name: display_settings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.display_settings (
    key character varying(64) NOT NULL,
    value text NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    updated_by integer
);


--
-- Name: holidays; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.holidays (
    day date NOT NULL,
    name_th character varying(200) NOT NULL,
    name_en character varying(200) NOT NULL
);


--
-- Name: print_jobs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.print_jobs (
    id integer NOT NULL,
    ticket_id integer NOT NULL,
    kind character varying(16) NOT NULL,
    copy boolean NOT NULL,
    printer character varying(64) NOT NULL,
    status character varying(16) NOT NULL,
    attempts integer NOT NULL,
    created_at timestamp without time zone NOT NULL,
    next_attempt_at timestamp without time zone NOT NULL,
    claimed_at timestamp without time zone,
    claimed_by character varying(128),
    printed_at timestamp without time zone,
    last_error character varying(300),
    replaces_job_id integer,
    payload json NOT NULL
);


--
-- Name: print_jobs_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.print_jobs_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: print_jobs_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.print_jobs_id_seq OWNED BY public.print_jobs.id;


--
-- Name: report_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.report_log (
    id integer NOT NULL,
    kind character varying(16) NOT NULL,
    fiscal_year integer NOT NULL,
    quarter integer,
    fmt character varying(8) NOT NULL,
    created_at timestamp without time zone NOT NULL,
    user_id integer
);


--
-- Name: report_log_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.report_log_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: report_log_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.report_log_id_seq OWNED BY public.report_log.id;


--
-- Name: report_measure_photos; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.report_measure_photos (
    id integer NOT NULL,
    measure_id integer NOT NULL,
    caption text NOT NULL,
    content_type character varying(32) NOT NULL,
    data bytea NOT NULL,
    width integer NOT NULL,
    height integer NOT NULL,
    "position" integer NOT NULL,
    uploaded_at timestamp without time zone NOT NULL
);


--
-- Name: report_measure_photos_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.report_measure_photos_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: report_measure_photos_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.report_measure_photos_id_seq OWNED BY public.report_measure_photos.id;


--
-- Name: report_measures; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.report_measures (
    id integer NOT NULL,
    fiscal_year integer NOT NULL,
    number integer NOT NULL,
    title text NOT NULL,
    method text NOT NULL,
    responsible character varying(200) NOT NULL,
    period character varying(200) NOT NULL,
    result text NOT NULL,
    suggestion text NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    updated_by integer
);


--
-- Name: report_measures_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.report_measures_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: report_measures_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.report_measures_id_seq OWNED BY public.report_measures.id;


--
-- Name: services; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.services (
    id integer NOT NULL,
    code character varying(32) NOT NULL,
    prefix character varying(3) NOT NULL,
    name_th character varying(200) NOT NULL,
    name_en character varying(200) NOT NULL,
    opens_at time without time zone NOT NULL,
    closes_at time without time zone NOT NULL,
    open_days character varying(7) NOT NULL,
    active boolean NOT NULL,
    "position" integer NOT NULL
);


--
-- Name: services_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.services_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: services_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.services_id_seq OWNED BY public.services.id;


--
-- Name: ticket_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ticket_events (
    id integer NOT NULL,
    ticket_id integer NOT NULL,
    type character varying(16) NOT NULL,
    outcome character varying(32),
    at timestamp without time zone NOT NULL,
    business_date date NOT NULL,
    service_id integer NOT NULL,
    counter_id integer,
    user_id integer,
    detail json
);


--
-- Name: ticket_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.ticket_events_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: ticket_events_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.ticket_events_id_seq OWNED BY public.ticket_events.id;


--
-- Name: tickets; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tickets (
    id integer NOT NULL,
    public_id character varying(32) NOT NULL,
    business_date date NOT NULL,
    issued_service_id integer NOT NULL,
    service_id integer NOT NULL,
    number integer NOT NULL,
    label character varying(8) NOT NULL,
    priority boolean NOT NULL,
    status character varying(16) NOT NULL,
    issued_at timestamp without time zone NOT NULL,
    queued_at timestamp without time zone NOT NULL,
    first_called_at timestamp without time zone,
    last_called_at timestamp without time zone,
    finished_at timestamp without time zone,
    counter_id integer,
    recalls integer NOT NULL,
    kiosk character varying(64),
    CONSTRAINT ck_tickets_positive_number CHECK ((number > 0))
);


--
-- Name: tickets_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.tickets_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: tickets_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.tickets_id_seq OWNED BY public.tickets.id;


--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    id integer NOT NULL,
    username character varying(64) NOT NULL,
    display_name character varying(200) NOT NULL,
    password_hash character varying(255) NOT NULL,
    role character varying(16) NOT NULL,
    division character varying(100),
    active boolean NOT NULL,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: users_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.users_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: users_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;


--
-- Name: api_tokens id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens ALTER COLUMN id SET DEFAULT nextval('public.api_tokens_id_seq'::regclass);


--
-- Name: complaint_access_log id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaint_access_log ALTER COLUMN id SET DEFAULT nextval('public.complaint_access_log_id_seq'::regclass);


--
-- Name: complaint_attachments id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaint_attachments ALTER COLUMN id SET DEFAULT nextval('public.complaint_attachments_id_seq'::regclass);


--
-- Name: complaint_events id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaint_events ALTER COLUMN id SET DEFAULT nextval('public.complaint_events_id_seq'::regclass);


--
-- Name: complaints id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaints ALTER COLUMN id SET DEFAULT nextval('public.complaints_id_seq'::regclass);


--
-- Name: counters id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.counters ALTER COLUMN id SET DEFAULT nextval('public.counters_id_seq'::regclass);


--
-- Name: display_devices id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.display_devices ALTER COLUMN id SET DEFAULT nextval('public.display_devices_id_seq'::regclass);


--
-- Name: print_jobs id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.print_jobs ALTER COLUMN id SET DEFAULT nextval('public.print_jobs_id_seq'::regclass);


--
-- Name: report_log id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_log ALTER COLUMN id SET DEFAULT nextval('public.report_log_id_seq'::regclass);


--
-- Name: report_measure_photos id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_measure_photos ALTER COLUMN id SET DEFAULT nextval('public.report_measure_photos_id_seq'::regclass);


--
-- Name: report_measures id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_measures ALTER COLUMN id SET DEFAULT nextval('public.report_measures_id_seq'::regclass);


--
-- Name: services id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.services ALTER COLUMN id SET DEFAULT nextval('public.services_id_seq'::regclass);


--
-- Name: ticket_events id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_events ALTER COLUMN id SET DEFAULT nextval('public.ticket_events_id_seq'::regclass);


--
-- Name: tickets id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tickets ALTER COLUMN id SET DEFAULT nextval('public.tickets_id_seq'::regclass);


--
-- Name: users id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);


--
-- Data for Name: alembic_version; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.alembic_version (version_num) FROM stdin;
reports_0001
kiosk_0002
intake_0001
display_0001
\.


--
-- Data for Name: api_tokens; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.api_tokens (id, user_id, label, token_hash, created_at, revoked) FROM stdin;
1	2	fixture	f9dc2a91e57f71e1ca24d186db9e8465878fc20ccf9875245220d411e09d6664	2026-11-24 18:45:42.12404	f
\.


--
-- Data for Name: complaint_access_log; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.complaint_access_log (id, complaint_id, user_id, at, what, address) FROM stdin;
\.


--
-- Data for Name: complaint_attachments; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.complaint_attachments (id, complaint_id, filename, content_type, size, sha256, data, uploaded_at) FROM stdin;
\.


--
-- Data for Name: complaint_events; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.complaint_events (id, complaint_id, type, at, user_id, actor, from_status, to_status, public, text, detail) FROM stdin;
1	1	submitted	2026-11-04 18:45:40.364795	\N	citizen	\N	received	t	\N	{"channel": "web", "source": null, "files": 0}
2	1	acknowledged	2026-11-04 20:45:40.364795	3	staff	received	acknowledged	t	\N	null
3	1	assigned	2026-11-05 18:45:40.364795	3	staff	acknowledged	assigned	t	\N	{"division": "\\u0e01\\u0e2d\\u0e07\\u0e0a\\u0e48\\u0e32\\u0e07", "assignee_id": null}
4	1	progress	2026-11-09 18:45:40.364795	3	staff	assigned	in_progress	t	กองช่างออกสำรวจแล้ว รอเปลี่ยนหลอดไฟ	null
5	1	answered	2026-11-14 18:45:40.364795	3	staff	in_progress	answered	t	\N	{"answer": true}
6	1	closed	2026-11-14 18:45:40.364795	3	staff	answered	closed	t	\N	null
7	2	submitted	2026-11-02 18:45:40.364795	\N	citizen	\N	received	t	\N	{"channel": "web", "source": null, "files": 0}
8	2	acknowledged	2026-11-03 18:45:40.364795	3	staff	received	acknowledged	t	\N	null
9	2	assigned	2026-11-03 18:45:40.364795	3	staff	acknowledged	assigned	t	\N	{"division": "\\u0e01\\u0e2d\\u0e07\\u0e2a\\u0e32\\u0e18\\u0e32\\u0e23\\u0e13\\u0e2a\\u0e38\\u0e02\\u0e41\\u0e25\\u0e30\\u0e2a\\u0e34\\u0e48\\u0e07\\u0e41\\u0e27\\u0e14\\u0e25\\u0e49\\u0e2d\\u0e21", "assignee_id": null}
10	3	submitted	2026-11-23 18:45:40.364795	2	staff	\N	received	t	\N	{"channel": "phone", "source": null, "files": 0}
11	4	submitted	2026-11-24 13:57:40.364795	\N	citizen	\N	received	t	\N	{"channel": "web", "source": null, "files": 0}
12	5	submitted	2026-11-21 18:45:40.364795	\N	citizen	\N	received	t	\N	{"channel": "web", "source": null, "files": 0}
13	5	acknowledged	2026-11-21 22:45:40.364795	4	staff	received	acknowledged	t	\N	null
14	5	named_staff	2026-11-22 18:45:40.364795	4	staff	\N	\N	f	\N	{"user_id": 2}
15	5	assigned	2026-11-22 18:45:40.364795	4	staff	acknowledged	assigned	t	\N	{"division": "\\u0e2a\\u0e33\\u0e19\\u0e31\\u0e01\\u0e1b\\u0e25\\u0e31\\u0e14", "assignee_id": 3}
16	6	submitted	2026-11-24 06:45:40.364795	\N	citizen	\N	received	t	\N	{"channel": "web", "source": null, "files": 0}
17	7	submitted	2026-11-24 02:28:00	\N	citizen	\N	received	t	\N	{"channel": "web", "source": null, "files": 0}
18	7	acknowledged	2026-11-24 02:29:00	3	staff	received	acknowledged	t	รับเรื่องแล้ว	null
19	8	submitted	2026-11-24 02:30:00	\N	citizen	\N	received	t	\N	{"channel": "web", "source": null, "files": 0}
\.


--
-- Data for Name: complaints; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.complaints (id, tracking_code, pin_hash, pin_failures, pin_locked_until, type, status, channel, source, subject, details, place, occurred_on, anonymous, contact_name, contact_phone, contact_email, contact_line_id, notify_citizen, consent_at, named_staff_user_id, named_staff_text, division, assigned_user_id, forwarded_to, reject_reason, public_answer, received_at, ack_due_at, due_at, original_due_at, acknowledged_at, answered_at, first_answered_at, closed_at, reopen_count, dedupe_hash, created_by_user_id, personal_data_purged_at, updated_at) FROM stdin;
1	TB-X8WH-7F7U	pbkdf2$60000$e276dc92440a53e5$c0f5354ee69cb728b61864afb5ad1a0aa3e155c6a5a92636a0f6ff16474b7c32	0	\N	complaint	closed	web	demo	ไฟถนนดับหน้าวัดทุ่งมะพร้าว	ไฟส่องสว่างริมถนนหน้าวัดดับมาหนึ่งสัปดาห์ กลางคืนมืดมาก อันตรายต่อผู้สัญจร	ถนนหน้าวัดทุ่งมะพร้าว หมู่ 3	\N	f	สมชาย ใจดี	0812345678	\N	\N	f	2026-11-04 18:45:40.364795	\N	\N	กองช่าง	\N	\N	\N	เปลี่ยนหลอดไฟเรียบร้อยแล้ว ขอบคุณที่แจ้งเรื่อง	2026-11-04 18:45:40.364795	2026-11-06 16:59:59	2026-11-20 16:59:59	2026-11-20 16:59:59	2026-11-04 20:45:40.364795	2026-11-14 18:45:40.364795	2026-11-14 18:45:40.364795	2026-11-14 18:45:40.364795	0	8e8c49de1bf26649f195bc7031ffc6c68bddd81dc760434d10d9d1670259b0f8	\N	\N	2026-11-14 18:45:40.364795
2	TB-8EWK-UVN7	pbkdf2$60000$ffbea7955ec9842c$496b3523f2948d1564ae7a4dec59ba8ba25dc502a831631286cf2275f00225a4	0	\N	complaint	assigned	web	demo	ขยะไม่ได้รับการจัดเก็บ	รถเก็บขยะไม่มาเก็บขยะในซอย 5 หมู่ 2 มาสองสัปดาห์แล้ว	\N	\N	t	\N	\N	\N	\N	f	2026-11-02 18:45:40.364795	\N	\N	กองสาธารณสุขและสิ่งแวดล้อม	\N	\N	\N	\N	2026-11-02 18:45:40.364795	2026-11-04 16:59:59	2026-11-18 16:59:59	2026-11-18 16:59:59	2026-11-03 18:45:40.364795	\N	\N	\N	0	5c699ce4bd307c60af5bb8e98f68eb5376575cc4e989649b37b980edcf327009	\N	\N	2026-11-03 18:45:40.364795
8	TB-NWEJ-DNYG	pbkdf2$60000$9ddd2840fe738e3b$5d1b86c0ace782783babd553055cf0b60178745cd76326900b32f609cbe961c2	0	\N	praise	received	web	\N	ขอบคุณ	เจ้าหน้าที่ช่อง 1 บริการดีมาก	\N	\N	t	\N	\N	\N	\N	f	2026-11-24 02:30:00	\N	\N	\N	\N	\N	\N	\N	2026-11-24 02:30:00	2026-11-25 16:59:59	2026-12-09 16:59:59	2026-12-09 16:59:59	\N	\N	\N	\N	0	98978309197a72ce308bd9f47da0a142a898b40137a85c51efd22966a7250974	\N	\N	2026-11-24 02:30:00
3	TB-XE3G-EH8M	pbkdf2$60000$8db6fc9ae8c8dd85$205ff32d9f5b6b59646091dbb48a9659c546fc5fdf91998ecb5740480a393a53	0	\N	question	received	phone	demo	ขอทราบกำหนดชำระภาษีที่ดินและสิ่งปลูกสร้าง	อยากทราบว่าปีนี้ต้องชำระภาษีที่ดินภายในวันที่เท่าไร และชำระออนไลน์ได้หรือไม่	\N	\N	f	นางสาวมาลี	0899999999	\N	\N	f	2026-11-23 18:45:40.364795	\N	\N	\N	\N	\N	\N	\N	2026-11-23 18:45:40.364795	2026-11-25 16:59:59	2026-12-09 16:59:59	2026-12-09 16:59:59	\N	\N	\N	\N	0	5fb321e44a03fd1db26be7e4ce19c3ed2fa7ed3b92bbed6e1bc05a62da6efea7	2	\N	2026-11-23 18:45:40.364795
4	TB-4A88-WYXE	pbkdf2$60000$a2eef4f78b7bcca4$a9b81374ff1abeee28e210f63abb48bacebc7003a5340a5ce820a7de4893fcd3	0	\N	praise	received	web	demo	ชมเจ้าหน้าที่ช่อง 1	เจ้าหน้าที่ช่อง 1 ให้บริการสุภาพ รวดเร็ว อธิบายขั้นตอนชัดเจน ขอบคุณค่ะ	\N	\N	t	\N	\N	\N	\N	f	2026-11-24 13:57:40.364795	\N	\N	\N	\N	\N	\N	\N	2026-11-24 13:57:40.364795	2026-11-25 16:59:59	2026-12-09 16:59:59	2026-12-09 16:59:59	\N	\N	\N	\N	0	3084de4a84d00e6c58c93299f8735d098f985469d4949eff30e4b2015ded53d8	\N	\N	2026-11-24 13:57:40.364795
5	TB-QX8Y-P9YN	pbkdf2$60000$f3a3fbb7000df1f0$bd66dcbf1aeb221146128b9f8e03d2dfd81a6000a9209f84eba4dda1697b9098	0	\N	staff_conduct	assigned	web	demo	เจ้าหน้าที่พูดจาไม่สุภาพและให้รอนานกว่าคนอื่น	วันที่ไปติดต่อขอเบี้ยผู้สูงอายุ เจ้าหน้าที่ให้คนรู้จักลัดคิวและพูดจาไม่สุภาพกับแม่	\N	\N	t	\N	\N	\N	\N	f	2026-11-21 18:45:40.364795	2	เจ้าหน้าที่ช่อง 1	สำนักปลัด	3	\N	\N	\N	2026-11-21 18:45:40.364795	2026-11-23 16:59:59	2026-12-08 16:59:59	2026-12-08 16:59:59	2026-11-21 22:45:40.364795	\N	\N	\N	0	092b296c2f5a9fbf77ea1256f8c27cca58dbba03ab79081700da3b27ab237dd8	\N	\N	2026-11-22 18:45:40.364795
6	TB-KJME-V469	pbkdf2$60000$c90917970284d468$a92cc10c439c9777aa36488d320c19bc54cbad32b39a7c47ffe1551098246849	0	\N	suggestion	received	web	demo	ขอให้มีที่จอดรถสำหรับผู้พิการ	เสนอให้ทำที่จอดรถสำหรับผู้พิการใกล้ทางลาดหน้าอาคารสำนักงาน	\N	\N	t	\N	\N	\N	\N	f	2026-11-24 06:45:40.364795	\N	\N	\N	\N	\N	\N	\N	2026-11-24 06:45:40.364795	2026-11-25 16:59:59	2026-12-09 16:59:59	2026-12-09 16:59:59	\N	\N	\N	\N	0	993b3438ff297223b4bc220f9d48da7dc5819d770308737aadd8f0370f3e897b	\N	\N	2026-11-24 06:45:40.364795
7	TB-DUAF-FUXC	pbkdf2$60000$8e7ff06393135fb2$041c5cb206a3342297208639dcbfacbbbe497924affd203c65c5fb3cb5c2f0e4	0	\N	complaint	acknowledged	web	\N	ไฟถนนดับ	ไฟถนนหน้าวัดดับมาสามคืนแล้ว ขอให้ซ่อม	หมู่ 3	\N	f	สมหญิง ใจดี	0812345678	\N	\N	f	2026-11-24 02:28:00	\N	\N	\N	\N	\N	\N	\N	2026-11-24 02:28:00	2026-11-25 16:59:59	2026-12-09 16:59:59	2026-12-09 16:59:59	2026-11-24 02:29:00	\N	\N	\N	0	7c2f8c3ca7e0efe78a0bdf8aa14b1c01fa70cabf90478874a70ba293ff3a5f9c	\N	\N	2026-11-24 02:29:00
\.


--
-- Data for Name: counter_services; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.counter_services (counter_id, service_id, "position") FROM stdin;
1	1	0
1	4	1
2	2	0
2	4	1
3	3	0
3	1	1
3	2	2
\.


--
-- Data for Name: counters; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.counters (id, name, name_en, active, current_ticket_id, priority_streak) FROM stdin;
1	ช่อง 1	Counter 1	t	3	0
2	ช่อง 2	Counter 2	t	\N	0
3	ช่อง 3	Counter 3	t	\N	0
\.


--
-- Data for Name: daily_sequences; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.daily_sequences (business_date, service_id, last_number) FROM stdin;
2026-11-24	1	6
2026-11-24	2	4
2026-11-24	3	2
2026-11-24	4	2
\.


--
-- Data for Name: display_devices; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.display_devices (id, device_key, kind, name, address, page, sound_on, first_seen_at, last_seen_at) FROM stdin;
\.


--
-- Data for Name: display_settings; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.display_settings (key, value, updated_at, updated_by) FROM stdin;
\.


--
-- Data for Name: holidays; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.holidays (day, name_th, name_en) FROM stdin;
\.


--
-- Data for Name: print_jobs; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.print_jobs (id, ticket_id, kind, copy, printer, status, attempts, created_at, next_attempt_at, claimed_at, claimed_by, printed_at, last_error, replaces_job_id, payload) FROM stdin;
\.


--
-- Data for Name: report_log; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.report_log (id, kind, fiscal_year, quarter, fmt, created_at, user_id) FROM stdin;
\.


--
-- Data for Name: report_measure_photos; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.report_measure_photos (id, measure_id, caption, content_type, data, width, height, "position", uploaded_at) FROM stdin;
\.


--
-- Data for Name: report_measures; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.report_measures (id, fiscal_year, number, title, method, responsible, period, result, suggestion, updated_at, updated_by) FROM stdin;
1	2565	1	๑. จัดทําแผนผัง แสดงขั้นตอน ระยะเวลาการ ให้บริการประชาชน และระบุ ผู้รับผิดชอบงาน ให้บริการทุก กระบวนงาน	๑. จัดทำแผนผังแสดง ขั้นตอนระยะเวลาให้บริการ ประชาชนและระบุ ผู้รับผิดชอบงานให้บริการใน ทุกกระบวนงาน\n๒. เผยแพร่ประชาสัมพันธ์ให้ ประชาชนทราบผ่านช่องทาง ที่หลากหลาย เช่น เว็บไซต์ สื่อสังคมออนไลน์ บอร์ด ประชาสัมพันธ์ จดหมายข่าว เสียงตามสาย หอกระจาย ข่าว ฯลฯ	สำนักปลัด	กุมภาพันธ์ – เมษายน 2565	1. มีการจัดทำแผนผังแสดง ขั้นตอนระยะเวลาให้บริการประชาชน 10 มี.ค.65\n2. มีการเผยแพร่ประชาสัมพันธ์ให้ ประชาชนทราบผ่านช่องทาง ที่หลากหลาย เช่น เว็บไซต์ สื่อสังคมออนไลน์ บอร์ด ประชาสัมพันธ์ 10 มี.ค. 65	ทำการประชาสัมพันธ์อย่างต่อเนื่อง โดยสำนักปลัดกวดขันในการเผยแพร่ข้อมูลข่าวสาร	2026-11-24 18:45:38.280876	\N
2	2565	2	2. การเผยแพร่ ข้อมูลการใช้จ่าย งบประมาณให้ บุคลากรและ ประชาชนได้ รับทราบ	๑. จัดทํามาตรการในการ เผยแพร่ข้อมูลที่เกี่ยวข้องกับ การใช้จ่ายงบประมาณ\n๒.เผยแพร่ข้อมูลที่เกี่ยวข้อง กับการใช้จ่ายงบประมาณให้ บุคลากรและประชาชนทราบ	กองคลัง	กุมภาพันธ์ – เมษายน 2565	1. มีการเผยแพร่ข้อมูลการใช้จ่ายงบประมาณทางเว็บไซต์\n2. มีการจัดทำมาตรการเผยแพร่ข้อมูลข่าวสารทางการคลัง ก.พ. 65	กองคลังต้องดำเนินการอย่างต่อเนื่องไม่ควรเว้นไว้นานแล้วเพิ่งมาลงประชาสัมพันธ์	2026-11-24 18:45:38.280876	\N
3	2565	3	๓. การบริหารงาน บุคคลตามหลัก คุณธรรมในการ พิจารณาความดี ความชอบ ความก้าวหน้า ประชาชน ผู้รับบริการ	จัดทํามาตรการบริหารงานบุคคลตามหลักคุณธรรมใน การพิจารณาความดี ความชอบความก้าวหน้า โดยกําหนดข้อตกลงการ ปฏิบัติงานในระดับบุคคล พิจารณาจากเกณฑ์ผลงาน/ ผลสําเร็จของงาน/กรอบ ระยะเวลา/ผลการประเมิน ความพึงพอใจของประชาชน ผู้รับบริการ	สำนักปลัด	กุมภาพันธ์ – เมษายน 2565	1. มีการจัดทำมาตรการบริหารงานบุคคล แล้วเสร็จ\nเม.ย.๖5	จัดทำให้เป็นปัจจุบันทุกปี	2026-11-24 18:45:38.280876	\N
4	2565	4	4. พัฒนาการบริการสร้างมาตรฐานที่เท่าเทียมกัน เช่น การจัดให้มีระบบบัตรคิว หรือการนำเทคโนโลยีมาใช้จัดระบบบัตรคิว	๑. จัดให้มีบัตรคิวหรือมีการใช้เทคโนโลยีมาใช้ในการจัดระบบบัตรคิว เทียมกัน\n๒. สรุปผลผู้มาใช้บริการให้ การจัดให้มีบัตรคิว ผู้บริหารทราบ	สำนักปลัด	กุมภาพันธ์ – เมษายน 2565	1. มีการจัดบัตรคิวในกระบวนงานต่างๆ ของอบต. ก.พ. 65\n2. มีการสรุปรายงานผู้บริหารทราบในรายไตรมาส	ดำเนินการอย่างสม่ำเสมอ	2026-11-24 18:45:38.280876	\N
5	2565	5	๕. พัฒนาบุคลากรโดยการปลูกฝังฐานความคิดในการแยกแยะประโยชน์ส่วนตนและส่วนรวม	๑. จัดทําโครงการเพื่อพัฒนาบุคลากรเพื่อให้ความรู้เกี่ยวกับประโยชน์ส่วนรวมมากกว่าประโยชน์ส่วนบุคคล\n๒. กําหนดประเด็นการ ให้บริการอย่างเท่าเทียมกันไว้ในพันธกิจขององค์กร\n3. กําหนดแนวทางในการดําเนินการร่วมกัน	สำนักปลัด	กุมภาพันธ์ – เมษายน 2565	- ยังไม่ได้ดำเนินการโครงการพัฒนาบุคลากรฯ	ดำเนินการให้เสร็จภายในปีงบประมาณ 2565	2026-11-24 18:45:38.280876	\N
6	2565	6	๖. เผยแพร่ผลงานผลงานและข้อมูลที่ เป็นประโยชน์กับสาธารณชนให้เป็นปัจจุบันทางเว็บไซต์ของ อบต. และสื่อออนไลน์	1. จัดให้มีการเผยแพร่ผลงานและข้อมูลที่หลากหลายและเป็นประโยชน์ต่อสาธารณชน เช่น หอกระจายข่าว เสียงตามสาย หน่วยบริหารเคลื่อนที่ จัดนิทรรศการ เป็นต้น	สำนักปลัด	กุมภาพันธ์ – เมษายน 2565	1. มีการเผยแพร่ประชาสัมพันธ์ผ่านเว็บไซต์และเฟสบุ๊ค	ประชาสัมพันธ์อย่างต่อเนื่องและสม่ำเสมอ	2026-11-24 18:45:38.280876	\N
7	2565	7	7. การแลกเปลี่ยนความคิดเห็นภายในหน่วยงาน	1. ผู้บริหารจัดประชุมให้เสนอความคิดเห็นของบุคลากรอย่างน้อยปีละ 1 ครั้ง\n2. เผยแพร่ผลการประชุมให้ประชาชนทั่วไปทราบ	สำนักปลัด	กุมภาพันธ์ – เมษายน 2565	- มีการจัดประชุมพนักงานประจำเดือนเพื่อแลกเปลี่ยนความคิดเห็น แต่ไม่ได้เผยแพร่ผลการประชุม	ดำเนินการประชาสัมพันธ์ผลการประชุมด้วย	2026-11-24 18:45:38.280876	\N
8	2565	8	8. การอำนวยความสะดวกในการบริการประชาชนหรือผู้มาติดต่อ	๑. จัดให้มีเก้าอี้รองรับผู้มา สะดวกในการให้ ติดต่อราชการหรือรับบริการ บริการประชาชน อย่างเพียงพอ\n๒. มีป้ายบอกทิศทางหรือตําแหน่งในการเข้าถึงจุด ให้บริการอย่างสะดวกและ ชัดเจน\n3.จัดทําแผนผังการกําหนด ผู้รับผิดชอบแต่ละขั้นตอน และช่องทางติดต่อ\n๔.ทําแบบคําร้องและ ตัวอย่างการกรอกข้อมูล/ เจ้าหน้าที่ให้คําแนะนํา\n๕.มีการให้บริการนอกเวลา ราชการ\n๖.การออกแบบสถานที่ คํานึงถึงผู้พิการ สตรีมีครรภ์ และผู้สูงอายุ\n๗.ให้บริการอินเตอร์เน็ต\n8. ในจุดอันตรายออกแบบ ให้สามารถมองเห็นได้\n9.มีแสงสว่างเพียงพอ\n๑๐. จัดทำบัตรคิว\n๑๑. จุดคัดกรองผู้มาติดต่อ	สำนักปลัด	กุมภาพันธ์ – เมษายน 2565	- ดำเนินการตามแนวทางข้างต้นแล้วเสร็จ มี.ค. 2565	ควรตรวจสอบและดำเนินการทุกขั้นตอนไม่ให้บกพร่อง	2026-11-24 18:45:38.280876	\N
9	2565	9	9. มีระบบและช่องทางการรับเรื่องร้องเรียนที่มีประสิทธิภาพ (สะดวก/รวดเร็ว/ตอบสนองในการแก้ไข) กรณีบุคลากรเลือกปฏิบัติและให้บริการโดยไม่เป็นธรรม	1. จัดทำระบบช่องทางการรับเรื่องร้องเรียนกรณีบุคลากรเลือกปฏิบัติและให้บริการโดยไม่เป็นธรรม เช่น ผ่านทางโทรศัพท์ สื่อออนไลน์และเว็บไซต์\n2. ประชาสัมพันธ์ช่องทางการร้องเรียน การรับแจ้งเรื่องให้ประชาชนและบุคลากรทราบ	สำนักปลัด	กุมภาพันธ์ – เมษายน 2565	1. มีการประชาสัมพันธ์ช่องทางร้องเรียนร้องทุกข์ของอบต. ในหลายช่องทางให้ประชาชนและบุคลากรทราบ มี.ค. 2565	ดำเนินการแก้ไขคำร้องให้ประชาชนให้รวดเร็วและแจ้งผลให้ทราบ	2026-11-24 18:45:38.280876	\N
10	2565	10	10. สร้างช่องทางการสื่อสารเพื่ออำนวยความสะดวกให้แก่ประชาชนผู้รับบริการที่จะติดต่อสอบถามหรือขอข้อมูลหรือรับฟังคำติชม แสดงความคิดเห็นเกี่ยวกับการดำเนินงาน การให้บริการของอบต. เช่น โทรศัพท์หมายเลขเฉพาะของเจ้าหน้าที่ผู้รับผิดชอบ จัดตั้งศูนย์บริการร่วม กล่อง/ตู้รับฟังความคิดเห็นของอบต. เป็นต้น	จัดให้มีการสื่อสารเพื่ออำนวยความสะดวกให้แก่ประชาชนผู้รับบริการที่จะติดต่อสอบถามหรือขอข้อมูลหรือรับฟังคำติชม แสดงความคิดเห็นเกี่ยวกับการดำเนินงาน การให้บริการของอบต	สำนักปลัด	กุมภาพันธ์ – เมษายน 2565	1. มีการใช้ระบบเทคโนโลยีอำนวยความสะดวก เช่น ระบบเฟสบุคคลตอบรับคำร้อง ระบบกระดานสนทนาในเว็บไซต์	ดำเนินการแก้ไขคำร้องให้ประชาชนให้รวดเร็วและแจ้งผลให้ทราบ	2026-11-24 18:45:38.280876	\N
\.


--
-- Data for Name: services; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.services (id, code, prefix, name_th, name_en, opens_at, closes_at, open_days, active, "position") FROM stdin;
1	TAX	A	ชำระภาษี	Tax payment	00:00:00	23:59:00	1234567	t	1
2	WELFARE	B	ขึ้นทะเบียนผู้สูงอายุ/ผู้พิการ	Elderly / disability allowance registration	00:00:00	23:59:00	1234567	t	2
3	BUILD	C	ขออนุญาตก่อสร้าง	Building permit	00:00:00	23:59:00	1234567	t	3
4	HELP	D	ร้องเรียน/สอบถาม	Complaints and enquiries	00:00:00	23:59:00	1234567	t	4
\.


--
-- Data for Name: ticket_events; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.ticket_events (id, ticket_id, type, outcome, at, business_date, service_id, counter_id, user_id, detail) FROM stdin;
1	1	issued	normal	2026-11-24 02:01:00	2026-11-24	1	\N	\N	{"kiosk": "kiosk-1"}
2	2	issued	normal	2026-11-24 02:02:00	2026-11-24	1	\N	\N	{"kiosk": "kiosk-1"}
3	3	issued	normal	2026-11-24 02:03:00	2026-11-24	1	\N	\N	{"kiosk": "kiosk-1"}
4	4	issued	normal	2026-11-24 02:04:00	2026-11-24	1	\N	\N	{"kiosk": "kiosk-1"}
5	5	issued	normal	2026-11-24 02:05:00	2026-11-24	1	\N	\N	{"kiosk": "kiosk-1"}
6	6	issued	normal	2026-11-24 02:06:00	2026-11-24	1	\N	\N	{"kiosk": "kiosk-1"}
7	7	issued	normal	2026-11-24 02:07:00	2026-11-24	2	\N	\N	{"kiosk": "kiosk-1"}
8	8	issued	normal	2026-11-24 02:08:00	2026-11-24	2	\N	\N	{"kiosk": "kiosk-1"}
9	9	issued	priority	2026-11-24 02:09:00	2026-11-24	2	\N	\N	{"kiosk": "kiosk-1"}
10	10	issued	normal	2026-11-24 02:10:00	2026-11-24	2	\N	\N	{"kiosk": "kiosk-1"}
11	11	issued	normal	2026-11-24 02:11:00	2026-11-24	3	\N	\N	{"kiosk": "kiosk-1"}
12	12	issued	normal	2026-11-24 02:12:00	2026-11-24	3	\N	\N	{"kiosk": "kiosk-1"}
13	13	issued	normal	2026-11-24 02:13:00	2026-11-24	4	\N	\N	{"kiosk": "kiosk-1"}
14	14	issued	normal	2026-11-24 02:14:00	2026-11-24	4	\N	\N	{"kiosk": "kiosk-1"}
15	1	called	next	2026-11-24 02:15:00	2026-11-24	1	1	\N	null
16	1	started	\N	2026-11-24 02:16:00	2026-11-24	1	1	\N	null
17	1	completed	served	2026-11-24 02:17:00	2026-11-24	1	1	\N	null
18	2	called	next	2026-11-24 02:18:00	2026-11-24	1	1	\N	null
19	2	no_show	staff	2026-11-24 02:19:00	2026-11-24	1	1	\N	null
20	3	called	next	2026-11-24 02:20:00	2026-11-24	1	1	\N	null
21	9	called	priority	2026-11-24 02:21:00	2026-11-24	2	2	\N	null
22	9	completed	served	2026-11-24 02:22:00	2026-11-24	2	2	\N	null
23	9	rated	5	2026-11-24 02:23:00	2026-11-24	2	2	\N	{"comment": "\\u0e1a\\u0e23\\u0e34\\u0e01\\u0e32\\u0e23\\u0e14\\u0e35\\u0e21\\u0e32\\u0e01"}
24	7	called	next	2026-11-24 02:24:00	2026-11-24	2	2	\N	null
25	7	parked	ไปถ่ายเอกสาร	2026-11-24 02:25:00	2026-11-24	2	2	\N	null
26	11	called	next	2026-11-24 02:26:00	2026-11-24	3	3	\N	null
27	11	transferred	WELFARE	2026-11-24 02:27:00	2026-11-24	2	3	\N	{"from_service_id": 3, "to_service_id": 2}
\.


--
-- Data for Name: tickets; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.tickets (id, public_id, business_date, issued_service_id, service_id, number, label, priority, status, issued_at, queued_at, first_called_at, last_called_at, finished_at, counter_id, recalls, kiosk) FROM stdin;
4	OPpuzrO_CtYhT8FHK3t2Qg	2026-11-24	1	1	4	A004	f	waiting	2026-11-24 02:04:00	2026-11-24 02:04:00	\N	\N	\N	\N	0	kiosk-1
5	SCbkk9jlxTxqjR3zfxoa0g	2026-11-24	1	1	5	A005	f	waiting	2026-11-24 02:05:00	2026-11-24 02:05:00	\N	\N	\N	\N	0	kiosk-1
6	Y04GyOMOk8QEfNNBdXcCMg	2026-11-24	1	1	6	A006	f	waiting	2026-11-24 02:06:00	2026-11-24 02:06:00	\N	\N	\N	\N	0	kiosk-1
8	04NSWD4SC-jJ6WxBOlzKEA	2026-11-24	2	2	2	B002	f	waiting	2026-11-24 02:08:00	2026-11-24 02:08:00	\N	\N	\N	\N	0	kiosk-1
10	HYnQAEEGflUynuPqPL5r1A	2026-11-24	2	2	4	B004	f	waiting	2026-11-24 02:10:00	2026-11-24 02:10:00	\N	\N	\N	\N	0	kiosk-1
12	5l6-C0nh-dci1fn9OfXXSg	2026-11-24	3	3	2	C002	f	waiting	2026-11-24 02:12:00	2026-11-24 02:12:00	\N	\N	\N	\N	0	kiosk-1
13	xpGK7GAvyqV5MQAMyiggaw	2026-11-24	4	4	1	D001	f	waiting	2026-11-24 02:13:00	2026-11-24 02:13:00	\N	\N	\N	\N	0	kiosk-1
14	as1SNDqrepJPBzV8t3dLKg	2026-11-24	4	4	2	D002	f	waiting	2026-11-24 02:14:00	2026-11-24 02:14:00	\N	\N	\N	\N	0	kiosk-1
1	jrtvQX8jCR4XrU33bHKBTQ	2026-11-24	1	1	1	A001	f	completed	2026-11-24 02:01:00	2026-11-24 02:01:00	2026-11-24 02:15:00	2026-11-24 02:15:00	2026-11-24 02:17:00	1	0	kiosk-1
2	l-v0SLTTHUwyst2yQnhVJQ	2026-11-24	1	1	2	A002	f	no_show	2026-11-24 02:02:00	2026-11-24 02:02:00	2026-11-24 02:18:00	2026-11-24 02:18:00	2026-11-24 02:19:00	1	0	kiosk-1
3	pMi5LKk3sXDXcD8V7WC2hA	2026-11-24	1	1	3	A003	f	called	2026-11-24 02:03:00	2026-11-24 02:03:00	2026-11-24 02:20:00	2026-11-24 02:20:00	\N	1	0	kiosk-1
9	dhc38iRoVq52T3O5JKTqkQ	2026-11-24	2	2	3	B003	t	completed	2026-11-24 02:09:00	2026-11-24 02:09:00	2026-11-24 02:21:00	2026-11-24 02:21:00	2026-11-24 02:22:00	2	0	kiosk-1
7	ffCoayIxru53s-Obxry6ag	2026-11-24	2	2	1	B001	f	parked	2026-11-24 02:07:00	2026-11-24 02:07:00	2026-11-24 02:24:00	2026-11-24 02:24:00	\N	2	0	kiosk-1
11	iKzeRbGxoJrK6EhUMYSWEA	2026-11-24	3	2	1	C001	f	waiting	2026-11-24 02:11:00	2026-11-24 02:11:00	2026-11-24 02:26:00	2026-11-24 02:26:00	\N	3	0	kiosk-1
\.


--
-- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.users (id, username, display_name, password_hash, role, division, active, created_at) FROM stdin;
1	admin	ผู้ดูแลระบบ	scrypt:32768:8:1$RtECmrOpK7oeAdzp$d1b00d0d6d06738550919856124d4b68ff10f17581d98b47a64e68e03734ee650dc53f5278736a4313f67efaddc8afeb8e3bee54481e3c71c7946f13efa279c7	admin	\N	t	2026-11-24 18:45:40.033047
2	counter1	เจ้าหน้าที่ช่อง 1	scrypt:32768:8:1$UWMONrVlrgsh93S7$c1ec462d0f07c931d27fde0092d80931bb6ee513181a9fb80f5e5b5e33870cbd3174144064a93d0a5de1e82f73de52c180a9769ff84c4eb2240b43b500effb89	counter	สำนักปลัด	t	2026-11-24 18:45:40.149708
3	officer1	เจ้าหน้าที่รับเรื่องร้องเรียน	scrypt:32768:8:1$Piqjc15OeSC5iuaD$27287b291a3e2bff59cf1f019b14231ebdacf4090f58acbef2f17158c9313bd5971686fe5fe39e1765aaffd5c88ea682f3fda623c23390b06bb27927b14fa4b8	officer	สำนักปลัด	t	2026-11-24 18:45:40.25505
4	executive	ปลัด อบต.	scrypt:32768:8:1$DokduDNNCCXVyPcd$3bed5a9892abdf0333a984332a420c1fe6c7717918117b1fed1f23a95ce20e38dfaa85a1b3dfa80f0bb22ae1be730c5ae15c693a17a52252ef1b4ff5f581545d	executive	\N	t	2026-11-24 18:45:40.355523
\.


--
-- Name: api_tokens_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.api_tokens_id_seq', 1, true);


--
-- Name: complaint_access_log_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.complaint_access_log_id_seq', 1, false);


--
-- Name: complaint_attachments_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.complaint_attachments_id_seq', 1, false);


--
-- Name: complaint_events_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.complaint_events_id_seq', 19, true);


--
-- Name: complaints_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.complaints_id_seq', 8, true);


--
-- Name: counters_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.counters_id_seq', 3, true);


--
-- Name: display_devices_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.display_devices_id_seq', 1, false);


--
-- Name: print_jobs_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.print_jobs_id_seq', 1, false);


--
-- Name: report_log_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.report_log_id_seq', 1, false);


--
-- Name: report_measure_photos_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.report_measure_photos_id_seq', 1, false);


--
-- Name: report_measures_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.report_measures_id_seq', 10, true);


--
-- Name: services_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.services_id_seq', 4, true);


--
-- Name: ticket_events_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.ticket_events_id_seq', 27, true);


--
-- Name: tickets_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.tickets_id_seq', 14, true);


--
-- Name: users_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.users_id_seq', 4, true);


--
-- Name: alembic_version alembic_version_pkc; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alembic_version
    ADD CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num);


--
-- Name: api_tokens pk_api_tokens; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT pk_api_tokens PRIMARY KEY (id);


--
-- Name: complaint_access_log pk_complaint_access_log; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaint_access_log
    ADD CONSTRAINT pk_complaint_access_log PRIMARY KEY (id);


--
-- Name: complaint_attachments pk_complaint_attachments; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaint_attachments
    ADD CONSTRAINT pk_complaint_attachments PRIMARY KEY (id);


--
-- Name: complaint_events pk_complaint_events; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaint_events
    ADD CONSTRAINT pk_complaint_events PRIMARY KEY (id);


--
-- Name: complaints pk_complaints; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaints
    ADD CONSTRAINT pk_complaints PRIMARY KEY (id);


--
-- Name: counter_services pk_counter_services; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.counter_services
    ADD CONSTRAINT pk_counter_services PRIMARY KEY (counter_id, service_id);


--
-- Name: counters pk_counters; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.counters
    ADD CONSTRAINT pk_counters PRIMARY KEY (id);


--
-- Name: daily_sequences pk_daily_sequences; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.daily_sequences
    ADD CONSTRAINT pk_daily_sequences PRIMARY KEY (business_date, service_id);


--
-- Name: display_devices pk_display_devices; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.display_devices
    ADD CONSTRAINT pk_display_devices PRIMARY KEY (id);


--
-- Name: display_settings pk_display_settings; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.display_settings
    ADD CONSTRAINT pk_display_settings PRIMARY KEY (key);


--
-- Name: holidays pk_holidays; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.holidays
    ADD CONSTRAINT pk_holidays PRIMARY KEY (day);


--
-- Name: print_jobs pk_print_jobs; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.print_jobs
    ADD CONSTRAINT pk_print_jobs PRIMARY KEY (id);


--
-- Name: report_log pk_report_log; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_log
    ADD CONSTRAINT pk_report_log PRIMARY KEY (id);


--
-- Name: report_measure_photos pk_report_measure_photos; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_measure_photos
    ADD CONSTRAINT pk_report_measure_photos PRIMARY KEY (id);


--
-- Name: report_measures pk_report_measures; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_measures
    ADD CONSTRAINT pk_report_measures PRIMARY KEY (id);


--
-- Name: services pk_services; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.services
    ADD CONSTRAINT pk_services PRIMARY KEY (id);


--
-- Name: ticket_events pk_ticket_events; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_events
    ADD CONSTRAINT pk_ticket_events PRIMARY KEY (id);


--
-- Name: tickets pk_tickets; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tickets
    ADD CONSTRAINT pk_tickets PRIMARY KEY (id);


--
-- Name: users pk_users; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT pk_users PRIMARY KEY (id);


--
-- Name: api_tokens uq_api_tokens_token_hash; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT uq_api_tokens_token_hash UNIQUE (token_hash);


--
-- Name: complaints uq_complaints_tracking_code; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaints
    ADD CONSTRAINT uq_complaints_tracking_code UNIQUE (tracking_code);


--
-- Name: counters uq_counters_name; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.counters
    ADD CONSTRAINT uq_counters_name UNIQUE (name);


--
-- Name: display_devices uq_display_devices_device_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.display_devices
    ADD CONSTRAINT uq_display_devices_device_key UNIQUE (device_key);


--
-- Name: report_measures uq_report_measures_fiscal_year_number; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_measures
    ADD CONSTRAINT uq_report_measures_fiscal_year_number UNIQUE (fiscal_year, number);


--
-- Name: services uq_services_code; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.services
    ADD CONSTRAINT uq_services_code UNIQUE (code);


--
-- Name: services uq_services_prefix; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.services
    ADD CONSTRAINT uq_services_prefix UNIQUE (prefix);


--
-- Name: tickets uq_tickets_business_date_issued_service_id_number; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tickets
    ADD CONSTRAINT uq_tickets_business_date_issued_service_id_number UNIQUE (business_date, issued_service_id, number);


--
-- Name: tickets uq_tickets_public_id; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tickets
    ADD CONSTRAINT uq_tickets_public_id UNIQUE (public_id);


--
-- Name: users uq_users_username; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT uq_users_username UNIQUE (username);


--
-- Name: ix_complaint_access_log_complaint; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_complaint_access_log_complaint ON public.complaint_access_log USING btree (complaint_id, at);


--
-- Name: ix_complaint_attachments_complaint_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_complaint_attachments_complaint_id ON public.complaint_attachments USING btree (complaint_id);


--
-- Name: ix_complaint_events_complaint; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_complaint_events_complaint ON public.complaint_events USING btree (complaint_id, id);


--
-- Name: ix_complaints_dedupe; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_complaints_dedupe ON public.complaints USING btree (dedupe_hash, received_at);


--
-- Name: ix_complaints_received; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_complaints_received ON public.complaints USING btree (received_at);


--
-- Name: ix_complaints_status_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_complaints_status_due ON public.complaints USING btree (status, due_at);


--
-- Name: ix_print_jobs_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_print_jobs_due ON public.print_jobs USING btree (status, next_attempt_at);


--
-- Name: ix_print_jobs_printer; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_print_jobs_printer ON public.print_jobs USING btree (printer, status);


--
-- Name: ix_print_jobs_ticket; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_print_jobs_ticket ON public.print_jobs USING btree (ticket_id);


--
-- Name: ix_report_log_kind_year; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_report_log_kind_year ON public.report_log USING btree (kind, fiscal_year);


--
-- Name: ix_report_measure_photos_measure; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_report_measure_photos_measure ON public.report_measure_photos USING btree (measure_id, "position");


--
-- Name: ix_ticket_events_date_type; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_ticket_events_date_type ON public.ticket_events USING btree (business_date, type);


--
-- Name: ix_ticket_events_ticket; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_ticket_events_ticket ON public.ticket_events USING btree (ticket_id, id);


--
-- Name: ix_tickets_queue; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_tickets_queue ON public.tickets USING btree (business_date, service_id, status, priority, queued_at);


--
-- Name: complaint_access_log complaint_access_log_append_only; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER complaint_access_log_append_only BEFORE DELETE OR UPDATE ON public.complaint_access_log FOR EACH ROW EXECUTE FUNCTION public.tambon_append_only();


--
-- Name: complaint_events complaint_events_append_only; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER complaint_events_append_only BEFORE DELETE OR UPDATE ON public.complaint_events FOR EACH ROW EXECUTE FUNCTION public.tambon_append_only();


--
-- Name: ticket_events ticket_events_append_only; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER ticket_events_append_only BEFORE DELETE OR UPDATE ON public.ticket_events FOR EACH ROW EXECUTE FUNCTION public.tambon_append_only();


--
-- Name: api_tokens fk_api_tokens_user_id_users; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT fk_api_tokens_user_id_users FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: complaint_access_log fk_complaint_access_log_complaint_id_complaints; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaint_access_log
    ADD CONSTRAINT fk_complaint_access_log_complaint_id_complaints FOREIGN KEY (complaint_id) REFERENCES public.complaints(id);


--
-- Name: complaint_access_log fk_complaint_access_log_user_id_users; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaint_access_log
    ADD CONSTRAINT fk_complaint_access_log_user_id_users FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: complaint_attachments fk_complaint_attachments_complaint_id_complaints; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaint_attachments
    ADD CONSTRAINT fk_complaint_attachments_complaint_id_complaints FOREIGN KEY (complaint_id) REFERENCES public.complaints(id);


--
-- Name: complaint_events fk_complaint_events_complaint_id_complaints; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaint_events
    ADD CONSTRAINT fk_complaint_events_complaint_id_complaints FOREIGN KEY (complaint_id) REFERENCES public.complaints(id);


--
-- Name: complaint_events fk_complaint_events_user_id_users; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaint_events
    ADD CONSTRAINT fk_complaint_events_user_id_users FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: complaints fk_complaints_assigned_user_id_users; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaints
    ADD CONSTRAINT fk_complaints_assigned_user_id_users FOREIGN KEY (assigned_user_id) REFERENCES public.users(id);


--
-- Name: complaints fk_complaints_created_by_user_id_users; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaints
    ADD CONSTRAINT fk_complaints_created_by_user_id_users FOREIGN KEY (created_by_user_id) REFERENCES public.users(id);


--
-- Name: complaints fk_complaints_named_staff_user_id_users; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaints
    ADD CONSTRAINT fk_complaints_named_staff_user_id_users FOREIGN KEY (named_staff_user_id) REFERENCES public.users(id);


--
-- Name: counter_services fk_counter_services_counter_id_counters; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.counter_services
    ADD CONSTRAINT fk_counter_services_counter_id_counters FOREIGN KEY (counter_id) REFERENCES public.counters(id);


--
-- Name: counter_services fk_counter_services_service_id_services; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.counter_services
    ADD CONSTRAINT fk_counter_services_service_id_services FOREIGN KEY (service_id) REFERENCES public.services(id);


--
-- Name: counters fk_counters_current_ticket_id_tickets; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.counters
    ADD CONSTRAINT fk_counters_current_ticket_id_tickets FOREIGN KEY (current_ticket_id) REFERENCES public.tickets(id);


--
-- Name: daily_sequences fk_daily_sequences_service_id_services; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.daily_sequences
    ADD CONSTRAINT fk_daily_sequences_service_id_services FOREIGN KEY (service_id) REFERENCES public.services(id);


--
-- Name: print_jobs fk_print_jobs_replaces_job_id_print_jobs; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.print_jobs
    ADD CONSTRAINT fk_print_jobs_replaces_job_id_print_jobs FOREIGN KEY (replaces_job_id) REFERENCES public.print_jobs(id);


--
-- Name: print_jobs fk_print_jobs_ticket_id_tickets; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.print_jobs
    ADD CONSTRAINT fk_print_jobs_ticket_id_tickets FOREIGN KEY (ticket_id) REFERENCES public.tickets(id);


--
-- Name: report_log fk_report_log_user_id_users; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_log
    ADD CONSTRAINT fk_report_log_user_id_users FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: report_measure_photos fk_report_measure_photos_measure_id_report_measures; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_measure_photos
    ADD CONSTRAINT fk_report_measure_photos_measure_id_report_measures FOREIGN KEY (measure_id) REFERENCES public.report_measures(id) ON DELETE CASCADE;


--
-- Name: report_measures fk_report_measures_updated_by_users; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_measures
    ADD CONSTRAINT fk_report_measures_updated_by_users FOREIGN KEY (updated_by) REFERENCES public.users(id);


--
-- Name: ticket_events fk_ticket_events_counter_id_counters; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_events
    ADD CONSTRAINT fk_ticket_events_counter_id_counters FOREIGN KEY (counter_id) REFERENCES public.counters(id);


--
-- Name: ticket_events fk_ticket_events_service_id_services; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_events
    ADD CONSTRAINT fk_ticket_events_service_id_services FOREIGN KEY (service_id) REFERENCES public.services(id);


--
-- Name: ticket_events fk_ticket_events_ticket_id_tickets; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_events
    ADD CONSTRAINT fk_ticket_events_ticket_id_tickets FOREIGN KEY (ticket_id) REFERENCES public.tickets(id);


--
-- Name: ticket_events fk_ticket_events_user_id_users; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_events
    ADD CONSTRAINT fk_ticket_events_user_id_users FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: tickets fk_tickets_counter_id_counters; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tickets
    ADD CONSTRAINT fk_tickets_counter_id_counters FOREIGN KEY (counter_id) REFERENCES public.counters(id);


--
-- Name: tickets fk_tickets_issued_service_id_services; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tickets
    ADD CONSTRAINT fk_tickets_issued_service_id_services FOREIGN KEY (issued_service_id) REFERENCES public.services(id);


--
-- Name: tickets fk_tickets_service_id_services; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tickets
    ADD CONSTRAINT fk_tickets_service_id_services FOREIGN KEY (service_id) REFERENCES public.services(id);


--
-- PostgreSQL database dump complete
--

\unrestrict release-fixture

