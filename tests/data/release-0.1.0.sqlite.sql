BEGIN TRANSACTION;
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO "alembic_version" VALUES('reports_0001');
INSERT INTO "alembic_version" VALUES('kiosk_0002');
INSERT INTO "alembic_version" VALUES('intake_0001');
INSERT INTO "alembic_version" VALUES('display_0001');
CREATE TABLE api_tokens (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	label VARCHAR(100) NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	revoked BOOLEAN NOT NULL, 
	CONSTRAINT pk_api_tokens PRIMARY KEY (id), 
	CONSTRAINT fk_api_tokens_user_id_users FOREIGN KEY(user_id) REFERENCES users (id), 
	CONSTRAINT uq_api_tokens_token_hash UNIQUE (token_hash)
);
INSERT INTO "api_tokens" VALUES(1,2,'fixture','cf5f5ec43ef88048be57c07a5e53156ae3dcddd4feb8dafc270b4fe99d532daa','2026-11-24 18:45:36.607298',0);
CREATE TABLE complaint_access_log (
	id INTEGER NOT NULL, 
	complaint_id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	what VARCHAR(32) NOT NULL, 
	address VARCHAR(64), 
	CONSTRAINT pk_complaint_access_log PRIMARY KEY (id), 
	CONSTRAINT fk_complaint_access_log_complaint_id_complaints FOREIGN KEY(complaint_id) REFERENCES complaints (id), 
	CONSTRAINT fk_complaint_access_log_user_id_users FOREIGN KEY(user_id) REFERENCES users (id)
);
CREATE TABLE complaint_attachments (
	id INTEGER NOT NULL, 
	complaint_id INTEGER NOT NULL, 
	filename VARCHAR(200) NOT NULL, 
	content_type VARCHAR(64) NOT NULL, 
	size INTEGER NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	data BLOB NOT NULL, 
	uploaded_at DATETIME NOT NULL, 
	CONSTRAINT pk_complaint_attachments PRIMARY KEY (id), 
	CONSTRAINT fk_complaint_attachments_complaint_id_complaints FOREIGN KEY(complaint_id) REFERENCES complaints (id)
);
CREATE TABLE complaint_events (
	id INTEGER NOT NULL, 
	complaint_id INTEGER NOT NULL, 
	type VARCHAR(16) NOT NULL, 
	at DATETIME NOT NULL, 
	user_id INTEGER, 
	actor VARCHAR(16) NOT NULL, 
	from_status VARCHAR(16), 
	to_status VARCHAR(16), 
	public BOOLEAN NOT NULL, 
	text TEXT, 
	detail JSON, 
	CONSTRAINT pk_complaint_events PRIMARY KEY (id), 
	CONSTRAINT fk_complaint_events_complaint_id_complaints FOREIGN KEY(complaint_id) REFERENCES complaints (id), 
	CONSTRAINT fk_complaint_events_user_id_users FOREIGN KEY(user_id) REFERENCES users (id)
);
INSERT INTO "complaint_events" VALUES(1,1,'submitted','2026-11-04 18:45:35.164537',NULL,'citizen',NULL,'received',1,NULL,'{"channel": "web", "source": null, "files": 0}');
INSERT INTO "complaint_events" VALUES(2,1,'acknowledged','2026-11-04 20:45:35.164537',3,'staff','received','acknowledged',1,NULL,'null');
INSERT INTO "complaint_events" VALUES(3,1,'assigned','2026-11-05 18:45:35.164537',3,'staff','acknowledged','assigned',1,NULL,'{"division": "\u0e01\u0e2d\u0e07\u0e0a\u0e48\u0e32\u0e07", "assignee_id": null}');
INSERT INTO "complaint_events" VALUES(4,1,'progress','2026-11-09 18:45:35.164537',3,'staff','assigned','in_progress',1,'กองช่างออกสำรวจแล้ว รอเปลี่ยนหลอดไฟ','null');
INSERT INTO "complaint_events" VALUES(5,1,'answered','2026-11-14 18:45:35.164537',3,'staff','in_progress','answered',1,NULL,'{"answer": true}');
INSERT INTO "complaint_events" VALUES(6,1,'closed','2026-11-14 18:45:35.164537',3,'staff','answered','closed',1,NULL,'null');
INSERT INTO "complaint_events" VALUES(7,2,'submitted','2026-11-02 18:45:35.164537',NULL,'citizen',NULL,'received',1,NULL,'{"channel": "web", "source": null, "files": 0}');
INSERT INTO "complaint_events" VALUES(8,2,'acknowledged','2026-11-03 18:45:35.164537',3,'staff','received','acknowledged',1,NULL,'null');
INSERT INTO "complaint_events" VALUES(9,2,'assigned','2026-11-03 18:45:35.164537',3,'staff','acknowledged','assigned',1,NULL,'{"division": "\u0e01\u0e2d\u0e07\u0e2a\u0e32\u0e18\u0e32\u0e23\u0e13\u0e2a\u0e38\u0e02\u0e41\u0e25\u0e30\u0e2a\u0e34\u0e48\u0e07\u0e41\u0e27\u0e14\u0e25\u0e49\u0e2d\u0e21", "assignee_id": null}');
INSERT INTO "complaint_events" VALUES(10,3,'submitted','2026-11-23 18:45:35.164537',2,'staff',NULL,'received',1,NULL,'{"channel": "phone", "source": null, "files": 0}');
INSERT INTO "complaint_events" VALUES(11,4,'submitted','2026-11-24 13:57:35.164537',NULL,'citizen',NULL,'received',1,NULL,'{"channel": "web", "source": null, "files": 0}');
INSERT INTO "complaint_events" VALUES(12,5,'submitted','2026-11-21 18:45:35.164537',NULL,'citizen',NULL,'received',1,NULL,'{"channel": "web", "source": null, "files": 0}');
INSERT INTO "complaint_events" VALUES(13,5,'acknowledged','2026-11-21 22:45:35.164537',4,'staff','received','acknowledged',1,NULL,'null');
INSERT INTO "complaint_events" VALUES(14,5,'named_staff','2026-11-22 18:45:35.164537',4,'staff',NULL,NULL,0,NULL,'{"user_id": 2}');
INSERT INTO "complaint_events" VALUES(15,5,'assigned','2026-11-22 18:45:35.164537',4,'staff','acknowledged','assigned',1,NULL,'{"division": "\u0e2a\u0e33\u0e19\u0e31\u0e01\u0e1b\u0e25\u0e31\u0e14", "assignee_id": 3}');
INSERT INTO "complaint_events" VALUES(16,6,'submitted','2026-11-24 06:45:35.164537',NULL,'citizen',NULL,'received',1,NULL,'{"channel": "web", "source": null, "files": 0}');
INSERT INTO "complaint_events" VALUES(17,7,'submitted','2026-11-24 02:28:00.000000',NULL,'citizen',NULL,'received',1,NULL,'{"channel": "web", "source": null, "files": 0}');
INSERT INTO "complaint_events" VALUES(18,7,'acknowledged','2026-11-24 02:29:00.000000',3,'staff','received','acknowledged',1,'รับเรื่องแล้ว','null');
INSERT INTO "complaint_events" VALUES(19,8,'submitted','2026-11-24 02:30:00.000000',NULL,'citizen',NULL,'received',1,NULL,'{"channel": "web", "source": null, "files": 0}');
CREATE TABLE complaints (
	id INTEGER NOT NULL, 
	tracking_code VARCHAR(16) NOT NULL, 
	pin_hash VARCHAR(128) NOT NULL, 
	pin_failures INTEGER NOT NULL, 
	pin_locked_until DATETIME, 
	type VARCHAR(24) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	channel VARCHAR(24) NOT NULL, 
	source VARCHAR(32), 
	subject VARCHAR(200) NOT NULL, 
	details TEXT NOT NULL, 
	place VARCHAR(300), 
	occurred_on DATE, 
	anonymous BOOLEAN NOT NULL, 
	contact_name VARCHAR(200), 
	contact_phone VARCHAR(40), 
	contact_email VARCHAR(254), 
	contact_line_id VARCHAR(100), 
	notify_citizen BOOLEAN NOT NULL, 
	consent_at DATETIME, 
	named_staff_user_id INTEGER, 
	named_staff_text VARCHAR(200), 
	division VARCHAR(100), 
	assigned_user_id INTEGER, 
	forwarded_to VARCHAR(200), 
	reject_reason TEXT, 
	public_answer TEXT, 
	received_at DATETIME NOT NULL, 
	ack_due_at DATETIME NOT NULL, 
	due_at DATETIME NOT NULL, 
	original_due_at DATETIME NOT NULL, 
	acknowledged_at DATETIME, 
	answered_at DATETIME, 
	first_answered_at DATETIME, 
	closed_at DATETIME, 
	reopen_count INTEGER NOT NULL, 
	dedupe_hash VARCHAR(64) NOT NULL, 
	created_by_user_id INTEGER, 
	personal_data_purged_at DATETIME, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_complaints PRIMARY KEY (id), 
	CONSTRAINT fk_complaints_assigned_user_id_users FOREIGN KEY(assigned_user_id) REFERENCES users (id), 
	CONSTRAINT fk_complaints_created_by_user_id_users FOREIGN KEY(created_by_user_id) REFERENCES users (id), 
	CONSTRAINT fk_complaints_named_staff_user_id_users FOREIGN KEY(named_staff_user_id) REFERENCES users (id), 
	CONSTRAINT uq_complaints_tracking_code UNIQUE (tracking_code)
);
INSERT INTO "complaints" VALUES(1,'TB-39N9-GX8Q','pbkdf2$60000$20bf1f83325a0a5d$a1b3d9a60d7fbe2a0c0cc538d8c811c80973fc596c132fb93403b91a3c5f4e8d',0,NULL,'complaint','closed','web','demo','ไฟถนนดับหน้าวัดทุ่งมะพร้าว','ไฟส่องสว่างริมถนนหน้าวัดดับมาหนึ่งสัปดาห์ กลางคืนมืดมาก อันตรายต่อผู้สัญจร','ถนนหน้าวัดทุ่งมะพร้าว หมู่ 3',NULL,0,'สมชาย ใจดี','0812345678',NULL,NULL,0,'2026-11-04 18:45:35.164537',NULL,NULL,'กองช่าง',NULL,NULL,NULL,'เปลี่ยนหลอดไฟเรียบร้อยแล้ว ขอบคุณที่แจ้งเรื่อง','2026-11-04 18:45:35.164537','2026-11-06 16:59:59.000000','2026-11-20 16:59:59.000000','2026-11-20 16:59:59.000000','2026-11-04 20:45:35.164537','2026-11-14 18:45:35.164537','2026-11-14 18:45:35.164537','2026-11-14 18:45:35.164537',0,'8e8c49de1bf26649f195bc7031ffc6c68bddd81dc760434d10d9d1670259b0f8',NULL,NULL,'2026-11-14 18:45:35.164537');
INSERT INTO "complaints" VALUES(2,'TB-3MTF-MJGC','pbkdf2$60000$91e3b91fba44a77e$34e3e799a1347878768163d86aa1a5032bf5c6efa5d8b18c5ce7399b784063c7',0,NULL,'complaint','assigned','web','demo','ขยะไม่ได้รับการจัดเก็บ','รถเก็บขยะไม่มาเก็บขยะในซอย 5 หมู่ 2 มาสองสัปดาห์แล้ว',NULL,NULL,1,NULL,NULL,NULL,NULL,0,'2026-11-02 18:45:35.164537',NULL,NULL,'กองสาธารณสุขและสิ่งแวดล้อม',NULL,NULL,NULL,NULL,'2026-11-02 18:45:35.164537','2026-11-04 16:59:59.000000','2026-11-18 16:59:59.000000','2026-11-18 16:59:59.000000','2026-11-03 18:45:35.164537',NULL,NULL,NULL,0,'5c699ce4bd307c60af5bb8e98f68eb5376575cc4e989649b37b980edcf327009',NULL,NULL,'2026-11-03 18:45:35.164537');
INSERT INTO "complaints" VALUES(3,'TB-C4C7-QWK7','pbkdf2$60000$07476dfdbf1a7dd0$926c3734855be25431dfc8674c7d47cde33aed0a454289773c9929e32893f044',0,NULL,'question','received','phone','demo','ขอทราบกำหนดชำระภาษีที่ดินและสิ่งปลูกสร้าง','อยากทราบว่าปีนี้ต้องชำระภาษีที่ดินภายในวันที่เท่าไร และชำระออนไลน์ได้หรือไม่',NULL,NULL,0,'นางสาวมาลี','0899999999',NULL,NULL,0,'2026-11-23 18:45:35.164537',NULL,NULL,NULL,NULL,NULL,NULL,NULL,'2026-11-23 18:45:35.164537','2026-11-25 16:59:59.000000','2026-12-09 16:59:59.000000','2026-12-09 16:59:59.000000',NULL,NULL,NULL,NULL,0,'5fb321e44a03fd1db26be7e4ce19c3ed2fa7ed3b92bbed6e1bc05a62da6efea7',2,NULL,'2026-11-23 18:45:35.164537');
INSERT INTO "complaints" VALUES(4,'TB-3363-9RYN','pbkdf2$60000$b411630d2397ba40$806de44283a2a5c640fab563df246830d36409f910150fadf29f37d66b941505',0,NULL,'praise','received','web','demo','ชมเจ้าหน้าที่ช่อง 1','เจ้าหน้าที่ช่อง 1 ให้บริการสุภาพ รวดเร็ว อธิบายขั้นตอนชัดเจน ขอบคุณค่ะ',NULL,NULL,1,NULL,NULL,NULL,NULL,0,'2026-11-24 13:57:35.164537',NULL,NULL,NULL,NULL,NULL,NULL,NULL,'2026-11-24 13:57:35.164537','2026-11-25 16:59:59.000000','2026-12-09 16:59:59.000000','2026-12-09 16:59:59.000000',NULL,NULL,NULL,NULL,0,'3084de4a84d00e6c58c93299f8735d098f985469d4949eff30e4b2015ded53d8',NULL,NULL,'2026-11-24 13:57:35.164537');
INSERT INTO "complaints" VALUES(5,'TB-MVE3-QTYN','pbkdf2$60000$106df604630d47eb$423c4726fb96a32a5c40a4d7527e3433fa7c970407334a7cfcfd44338eaa2a2f',0,NULL,'staff_conduct','assigned','web','demo','เจ้าหน้าที่พูดจาไม่สุภาพและให้รอนานกว่าคนอื่น','วันที่ไปติดต่อขอเบี้ยผู้สูงอายุ เจ้าหน้าที่ให้คนรู้จักลัดคิวและพูดจาไม่สุภาพกับแม่',NULL,NULL,1,NULL,NULL,NULL,NULL,0,'2026-11-21 18:45:35.164537',2,'เจ้าหน้าที่ช่อง 1','สำนักปลัด',3,NULL,NULL,NULL,'2026-11-21 18:45:35.164537','2026-11-23 16:59:59.000000','2026-12-08 16:59:59.000000','2026-12-08 16:59:59.000000','2026-11-21 22:45:35.164537',NULL,NULL,NULL,0,'092b296c2f5a9fbf77ea1256f8c27cca58dbba03ab79081700da3b27ab237dd8',NULL,NULL,'2026-11-22 18:45:35.164537');
INSERT INTO "complaints" VALUES(6,'TB-AHRX-ENHT','pbkdf2$60000$bb2e27c3ee77e1fd$057ee000e581da01f9dd16ec7a21ba43f8c2081386ecb3e2e3fb5b1d36662508',0,NULL,'suggestion','received','web','demo','ขอให้มีที่จอดรถสำหรับผู้พิการ','เสนอให้ทำที่จอดรถสำหรับผู้พิการใกล้ทางลาดหน้าอาคารสำนักงาน',NULL,NULL,1,NULL,NULL,NULL,NULL,0,'2026-11-24 06:45:35.164537',NULL,NULL,NULL,NULL,NULL,NULL,NULL,'2026-11-24 06:45:35.164537','2026-11-25 16:59:59.000000','2026-12-09 16:59:59.000000','2026-12-09 16:59:59.000000',NULL,NULL,NULL,NULL,0,'993b3438ff297223b4bc220f9d48da7dc5819d770308737aadd8f0370f3e897b',NULL,NULL,'2026-11-24 06:45:35.164537');
INSERT INTO "complaints" VALUES(7,'TB-6FVK-YPKG','pbkdf2$60000$d379f5b4e8b37f9a$f0e7d2d02234364a1a37c59ae5b056e0c833cdd3266fbbdca813803494f6e8e9',0,NULL,'complaint','acknowledged','web',NULL,'ไฟถนนดับ','ไฟถนนหน้าวัดดับมาสามคืนแล้ว ขอให้ซ่อม','หมู่ 3',NULL,0,'สมหญิง ใจดี','0812345678',NULL,NULL,0,'2026-11-24 02:28:00.000000',NULL,NULL,NULL,NULL,NULL,NULL,NULL,'2026-11-24 02:28:00.000000','2026-11-25 16:59:59.000000','2026-12-09 16:59:59.000000','2026-12-09 16:59:59.000000','2026-11-24 02:29:00.000000',NULL,NULL,NULL,0,'7c2f8c3ca7e0efe78a0bdf8aa14b1c01fa70cabf90478874a70ba293ff3a5f9c',NULL,NULL,'2026-11-24 02:29:00.000000');
INSERT INTO "complaints" VALUES(8,'TB-RU3F-PRGF','pbkdf2$60000$ce1c57133da41f50$452ae29fba91cee5aa4dde42ee4eb1de980768ac43c3e6f7808f5828e9795733',0,NULL,'praise','received','web',NULL,'ขอบคุณ','เจ้าหน้าที่ช่อง 1 บริการดีมาก',NULL,NULL,1,NULL,NULL,NULL,NULL,0,'2026-11-24 02:30:00.000000',NULL,NULL,NULL,NULL,NULL,NULL,NULL,'2026-11-24 02:30:00.000000','2026-11-25 16:59:59.000000','2026-12-09 16:59:59.000000','2026-12-09 16:59:59.000000',NULL,NULL,NULL,NULL,0,'98978309197a72ce308bd9f47da0a142a898b40137a85c51efd22966a7250974',NULL,NULL,'2026-11-24 02:30:00.000000');
CREATE TABLE counter_services (
	counter_id INTEGER NOT NULL, 
	service_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	CONSTRAINT pk_counter_services PRIMARY KEY (counter_id, service_id), 
	CONSTRAINT fk_counter_services_counter_id_counters FOREIGN KEY(counter_id) REFERENCES counters (id), 
	CONSTRAINT fk_counter_services_service_id_services FOREIGN KEY(service_id) REFERENCES services (id)
);
INSERT INTO "counter_services" VALUES(1,1,0);
INSERT INTO "counter_services" VALUES(1,4,1);
INSERT INTO "counter_services" VALUES(2,2,0);
INSERT INTO "counter_services" VALUES(2,4,1);
INSERT INTO "counter_services" VALUES(3,3,0);
INSERT INTO "counter_services" VALUES(3,1,1);
INSERT INTO "counter_services" VALUES(3,2,2);
CREATE TABLE counters (
	id INTEGER NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	name_en VARCHAR(100) NOT NULL, 
	active BOOLEAN NOT NULL, 
	current_ticket_id INTEGER, 
	priority_streak INTEGER NOT NULL, 
	CONSTRAINT pk_counters PRIMARY KEY (id), 
	CONSTRAINT fk_counters_current_ticket_id_tickets FOREIGN KEY(current_ticket_id) REFERENCES tickets (id), 
	CONSTRAINT uq_counters_name UNIQUE (name)
);
INSERT INTO "counters" VALUES(1,'ช่อง 1','Counter 1',1,3,0);
INSERT INTO "counters" VALUES(2,'ช่อง 2','Counter 2',1,NULL,0);
INSERT INTO "counters" VALUES(3,'ช่อง 3','Counter 3',1,NULL,0);
CREATE TABLE daily_sequences (
	business_date DATE NOT NULL, 
	service_id INTEGER NOT NULL, 
	last_number INTEGER NOT NULL, 
	CONSTRAINT pk_daily_sequences PRIMARY KEY (business_date, service_id), 
	CONSTRAINT fk_daily_sequences_service_id_services FOREIGN KEY(service_id) REFERENCES services (id)
);
INSERT INTO "daily_sequences" VALUES('2026-11-24',1,6);
INSERT INTO "daily_sequences" VALUES('2026-11-24',2,4);
INSERT INTO "daily_sequences" VALUES('2026-11-24',3,2);
INSERT INTO "daily_sequences" VALUES('2026-11-24',4,2);
CREATE TABLE display_devices (
	id INTEGER NOT NULL, 
	device_key VARCHAR(64) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	address VARCHAR(64), 
	page VARCHAR(200), 
	sound_on BOOLEAN, 
	first_seen_at DATETIME NOT NULL, 
	last_seen_at DATETIME NOT NULL, 
	CONSTRAINT pk_display_devices PRIMARY KEY (id), 
	CONSTRAINT uq_display_devices_device_key UNIQUE (device_key)
);
CREATE TABLE display_settings (
	"key" VARCHAR(64) NOT NULL, 
	value TEXT NOT NULL, 
	updated_at DATETIME NOT NULL, 
	updated_by INTEGER, 
	CONSTRAINT pk_display_settings PRIMARY KEY ("key")
);
CREATE TABLE holidays (
	day DATE NOT NULL, 
	name_th VARCHAR(200) NOT NULL, 
	name_en VARCHAR(200) NOT NULL, 
	CONSTRAINT pk_holidays PRIMARY KEY (day)
);
CREATE TABLE print_jobs (
	id INTEGER NOT NULL, 
	ticket_id INTEGER NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	copy BOOLEAN NOT NULL, 
	printer VARCHAR(64) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	attempts INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	next_attempt_at DATETIME NOT NULL, 
	claimed_at DATETIME, 
	claimed_by VARCHAR(128), 
	printed_at DATETIME, 
	last_error VARCHAR(300), 
	replaces_job_id INTEGER, 
	payload JSON NOT NULL, 
	CONSTRAINT pk_print_jobs PRIMARY KEY (id), 
	CONSTRAINT fk_print_jobs_replaces_job_id_print_jobs FOREIGN KEY(replaces_job_id) REFERENCES print_jobs (id), 
	CONSTRAINT fk_print_jobs_ticket_id_tickets FOREIGN KEY(ticket_id) REFERENCES tickets (id)
);
CREATE TABLE report_log (
	id INTEGER NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	fiscal_year INTEGER NOT NULL, 
	quarter INTEGER, 
	fmt VARCHAR(8) NOT NULL, 
	created_at DATETIME NOT NULL, 
	user_id INTEGER, 
	CONSTRAINT pk_report_log PRIMARY KEY (id), 
	CONSTRAINT fk_report_log_user_id_users FOREIGN KEY(user_id) REFERENCES users (id)
);
CREATE TABLE report_measure_photos (
	id INTEGER NOT NULL, 
	measure_id INTEGER NOT NULL, 
	caption TEXT NOT NULL, 
	content_type VARCHAR(32) NOT NULL, 
	data BLOB NOT NULL, 
	width INTEGER NOT NULL, 
	height INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	uploaded_at DATETIME NOT NULL, 
	CONSTRAINT pk_report_measure_photos PRIMARY KEY (id), 
	CONSTRAINT fk_report_measure_photos_measure_id_report_measures FOREIGN KEY(measure_id) REFERENCES report_measures (id) ON DELETE CASCADE
);
CREATE TABLE report_measures (
	id INTEGER NOT NULL, 
	fiscal_year INTEGER NOT NULL, 
	number INTEGER NOT NULL, 
	title TEXT NOT NULL, 
	method TEXT NOT NULL, 
	responsible VARCHAR(200) NOT NULL, 
	period VARCHAR(200) NOT NULL, 
	result TEXT NOT NULL, 
	suggestion TEXT NOT NULL, 
	updated_at DATETIME NOT NULL, 
	updated_by INTEGER, 
	CONSTRAINT pk_report_measures PRIMARY KEY (id), 
	CONSTRAINT fk_report_measures_updated_by_users FOREIGN KEY(updated_by) REFERENCES users (id), 
	CONSTRAINT uq_report_measures_fiscal_year_number UNIQUE (fiscal_year, number)
);
INSERT INTO "report_measures" VALUES(1,2565,1,'๑. จัดทําแผนผัง แสดงขั้นตอน ระยะเวลาการ ให้บริการประชาชน และระบุ ผู้รับผิดชอบงาน ให้บริการทุก กระบวนงาน','๑. จัดทำแผนผังแสดง ขั้นตอนระยะเวลาให้บริการ ประชาชนและระบุ ผู้รับผิดชอบงานให้บริการใน ทุกกระบวนงาน
๒. เผยแพร่ประชาสัมพันธ์ให้ ประชาชนทราบผ่านช่องทาง ที่หลากหลาย เช่น เว็บไซต์ สื่อสังคมออนไลน์ บอร์ด ประชาสัมพันธ์ จดหมายข่าว เสียงตามสาย หอกระจาย ข่าว ฯลฯ','สำนักปลัด','กุมภาพันธ์ – เมษายน 2565','1. มีการจัดทำแผนผังแสดง ขั้นตอนระยะเวลาให้บริการประชาชน 10 มี.ค.65
2. มีการเผยแพร่ประชาสัมพันธ์ให้ ประชาชนทราบผ่านช่องทาง ที่หลากหลาย เช่น เว็บไซต์ สื่อสังคมออนไลน์ บอร์ด ประชาสัมพันธ์ 10 มี.ค. 65','ทำการประชาสัมพันธ์อย่างต่อเนื่อง โดยสำนักปลัดกวดขันในการเผยแพร่ข้อมูลข่าวสาร','2026-11-24 18:45:33.516149',NULL);
INSERT INTO "report_measures" VALUES(2,2565,2,'2. การเผยแพร่ ข้อมูลการใช้จ่าย งบประมาณให้ บุคลากรและ ประชาชนได้ รับทราบ','๑. จัดทํามาตรการในการ เผยแพร่ข้อมูลที่เกี่ยวข้องกับ การใช้จ่ายงบประมาณ
๒.เผยแพร่ข้อมูลที่เกี่ยวข้อง กับการใช้จ่ายงบประมาณให้ บุคลากรและประชาชนทราบ','กองคลัง','กุมภาพันธ์ – เมษายน 2565','1. มีการเผยแพร่ข้อมูลการใช้จ่ายงบประมาณทางเว็บไซต์
2. มีการจัดทำมาตรการเผยแพร่ข้อมูลข่าวสารทางการคลัง ก.พ. 65','กองคลังต้องดำเนินการอย่างต่อเนื่องไม่ควรเว้นไว้นานแล้วเพิ่งมาลงประชาสัมพันธ์','2026-11-24 18:45:33.516149',NULL);
INSERT INTO "report_measures" VALUES(3,2565,3,'๓. การบริหารงาน บุคคลตามหลัก คุณธรรมในการ พิจารณาความดี ความชอบ ความก้าวหน้า ประชาชน ผู้รับบริการ','จัดทํามาตรการบริหารงานบุคคลตามหลักคุณธรรมใน การพิจารณาความดี ความชอบความก้าวหน้า โดยกําหนดข้อตกลงการ ปฏิบัติงานในระดับบุคคล พิจารณาจากเกณฑ์ผลงาน/ ผลสําเร็จของงาน/กรอบ ระยะเวลา/ผลการประเมิน ความพึงพอใจของประชาชน ผู้รับบริการ','สำนักปลัด','กุมภาพันธ์ – เมษายน 2565','1. มีการจัดทำมาตรการบริหารงานบุคคล แล้วเสร็จ
เม.ย.๖5','จัดทำให้เป็นปัจจุบันทุกปี','2026-11-24 18:45:33.516149',NULL);
INSERT INTO "report_measures" VALUES(4,2565,4,'4. พัฒนาการบริการสร้างมาตรฐานที่เท่าเทียมกัน เช่น การจัดให้มีระบบบัตรคิว หรือการนำเทคโนโลยีมาใช้จัดระบบบัตรคิว','๑. จัดให้มีบัตรคิวหรือมีการใช้เทคโนโลยีมาใช้ในการจัดระบบบัตรคิว เทียมกัน
๒. สรุปผลผู้มาใช้บริการให้ การจัดให้มีบัตรคิว ผู้บริหารทราบ','สำนักปลัด','กุมภาพันธ์ – เมษายน 2565','1. มีการจัดบัตรคิวในกระบวนงานต่างๆ ของอบต. ก.พ. 65
2. มีการสรุปรายงานผู้บริหารทราบในรายไตรมาส','ดำเนินการอย่างสม่ำเสมอ','2026-11-24 18:45:33.516149',NULL);
INSERT INTO "report_measures" VALUES(5,2565,5,'๕. พัฒนาบุคลากรโดยการปลูกฝังฐานความคิดในการแยกแยะประโยชน์ส่วนตนและส่วนรวม','๑. จัดทําโครงการเพื่อพัฒนาบุคลากรเพื่อให้ความรู้เกี่ยวกับประโยชน์ส่วนรวมมากกว่าประโยชน์ส่วนบุคคล
๒. กําหนดประเด็นการ ให้บริการอย่างเท่าเทียมกันไว้ในพันธกิจขององค์กร
3. กําหนดแนวทางในการดําเนินการร่วมกัน','สำนักปลัด','กุมภาพันธ์ – เมษายน 2565','- ยังไม่ได้ดำเนินการโครงการพัฒนาบุคลากรฯ','ดำเนินการให้เสร็จภายในปีงบประมาณ 2565','2026-11-24 18:45:33.516149',NULL);
INSERT INTO "report_measures" VALUES(6,2565,6,'๖. เผยแพร่ผลงานผลงานและข้อมูลที่ เป็นประโยชน์กับสาธารณชนให้เป็นปัจจุบันทางเว็บไซต์ของ อบต. และสื่อออนไลน์','1. จัดให้มีการเผยแพร่ผลงานและข้อมูลที่หลากหลายและเป็นประโยชน์ต่อสาธารณชน เช่น หอกระจายข่าว เสียงตามสาย หน่วยบริหารเคลื่อนที่ จัดนิทรรศการ เป็นต้น','สำนักปลัด','กุมภาพันธ์ – เมษายน 2565','1. มีการเผยแพร่ประชาสัมพันธ์ผ่านเว็บไซต์และเฟสบุ๊ค','ประชาสัมพันธ์อย่างต่อเนื่องและสม่ำเสมอ','2026-11-24 18:45:33.516149',NULL);
INSERT INTO "report_measures" VALUES(7,2565,7,'7. การแลกเปลี่ยนความคิดเห็นภายในหน่วยงาน','1. ผู้บริหารจัดประชุมให้เสนอความคิดเห็นของบุคลากรอย่างน้อยปีละ 1 ครั้ง
2. เผยแพร่ผลการประชุมให้ประชาชนทั่วไปทราบ','สำนักปลัด','กุมภาพันธ์ – เมษายน 2565','- มีการจัดประชุมพนักงานประจำเดือนเพื่อแลกเปลี่ยนความคิดเห็น แต่ไม่ได้เผยแพร่ผลการประชุม','ดำเนินการประชาสัมพันธ์ผลการประชุมด้วย','2026-11-24 18:45:33.516149',NULL);
INSERT INTO "report_measures" VALUES(8,2565,8,'8. การอำนวยความสะดวกในการบริการประชาชนหรือผู้มาติดต่อ','๑. จัดให้มีเก้าอี้รองรับผู้มา สะดวกในการให้ ติดต่อราชการหรือรับบริการ บริการประชาชน อย่างเพียงพอ
๒. มีป้ายบอกทิศทางหรือตําแหน่งในการเข้าถึงจุด ให้บริการอย่างสะดวกและ ชัดเจน
3.จัดทําแผนผังการกําหนด ผู้รับผิดชอบแต่ละขั้นตอน และช่องทางติดต่อ
๔.ทําแบบคําร้องและ ตัวอย่างการกรอกข้อมูล/ เจ้าหน้าที่ให้คําแนะนํา
๕.มีการให้บริการนอกเวลา ราชการ
๖.การออกแบบสถานที่ คํานึงถึงผู้พิการ สตรีมีครรภ์ และผู้สูงอายุ
๗.ให้บริการอินเตอร์เน็ต
8. ในจุดอันตรายออกแบบ ให้สามารถมองเห็นได้
9.มีแสงสว่างเพียงพอ
๑๐. จัดทำบัตรคิว
๑๑. จุดคัดกรองผู้มาติดต่อ','สำนักปลัด','กุมภาพันธ์ – เมษายน 2565','- ดำเนินการตามแนวทางข้างต้นแล้วเสร็จ มี.ค. 2565','ควรตรวจสอบและดำเนินการทุกขั้นตอนไม่ให้บกพร่อง','2026-11-24 18:45:33.516149',NULL);
INSERT INTO "report_measures" VALUES(9,2565,9,'9. มีระบบและช่องทางการรับเรื่องร้องเรียนที่มีประสิทธิภาพ (สะดวก/รวดเร็ว/ตอบสนองในการแก้ไข) กรณีบุคลากรเลือกปฏิบัติและให้บริการโดยไม่เป็นธรรม','1. จัดทำระบบช่องทางการรับเรื่องร้องเรียนกรณีบุคลากรเลือกปฏิบัติและให้บริการโดยไม่เป็นธรรม เช่น ผ่านทางโทรศัพท์ สื่อออนไลน์และเว็บไซต์
2. ประชาสัมพันธ์ช่องทางการร้องเรียน การรับแจ้งเรื่องให้ประชาชนและบุคลากรทราบ','สำนักปลัด','กุมภาพันธ์ – เมษายน 2565','1. มีการประชาสัมพันธ์ช่องทางร้องเรียนร้องทุกข์ของอบต. ในหลายช่องทางให้ประชาชนและบุคลากรทราบ มี.ค. 2565','ดำเนินการแก้ไขคำร้องให้ประชาชนให้รวดเร็วและแจ้งผลให้ทราบ','2026-11-24 18:45:33.516149',NULL);
INSERT INTO "report_measures" VALUES(10,2565,10,'10. สร้างช่องทางการสื่อสารเพื่ออำนวยความสะดวกให้แก่ประชาชนผู้รับบริการที่จะติดต่อสอบถามหรือขอข้อมูลหรือรับฟังคำติชม แสดงความคิดเห็นเกี่ยวกับการดำเนินงาน การให้บริการของอบต. เช่น โทรศัพท์หมายเลขเฉพาะของเจ้าหน้าที่ผู้รับผิดชอบ จัดตั้งศูนย์บริการร่วม กล่อง/ตู้รับฟังความคิดเห็นของอบต. เป็นต้น','จัดให้มีการสื่อสารเพื่ออำนวยความสะดวกให้แก่ประชาชนผู้รับบริการที่จะติดต่อสอบถามหรือขอข้อมูลหรือรับฟังคำติชม แสดงความคิดเห็นเกี่ยวกับการดำเนินงาน การให้บริการของอบต','สำนักปลัด','กุมภาพันธ์ – เมษายน 2565','1. มีการใช้ระบบเทคโนโลยีอำนวยความสะดวก เช่น ระบบเฟสบุคคลตอบรับคำร้อง ระบบกระดานสนทนาในเว็บไซต์','ดำเนินการแก้ไขคำร้องให้ประชาชนให้รวดเร็วและแจ้งผลให้ทราบ','2026-11-24 18:45:33.516149',NULL);
CREATE TABLE services (
	id INTEGER NOT NULL, 
	code VARCHAR(32) NOT NULL, 
	prefix VARCHAR(3) NOT NULL, 
	name_th VARCHAR(200) NOT NULL, 
	name_en VARCHAR(200) NOT NULL, 
	opens_at TIME NOT NULL, 
	closes_at TIME NOT NULL, 
	open_days VARCHAR(7) NOT NULL, 
	active BOOLEAN NOT NULL, 
	position INTEGER NOT NULL, 
	CONSTRAINT pk_services PRIMARY KEY (id), 
	CONSTRAINT uq_services_code UNIQUE (code), 
	CONSTRAINT uq_services_prefix UNIQUE (prefix)
);
INSERT INTO "services" VALUES(1,'TAX','A','ชำระภาษี','Tax payment','00:00:00.000000','23:59:00.000000','1234567',1,1);
INSERT INTO "services" VALUES(2,'WELFARE','B','ขึ้นทะเบียนผู้สูงอายุ/ผู้พิการ','Elderly / disability allowance registration','00:00:00.000000','23:59:00.000000','1234567',1,2);
INSERT INTO "services" VALUES(3,'BUILD','C','ขออนุญาตก่อสร้าง','Building permit','00:00:00.000000','23:59:00.000000','1234567',1,3);
INSERT INTO "services" VALUES(4,'HELP','D','ร้องเรียน/สอบถาม','Complaints and enquiries','00:00:00.000000','23:59:00.000000','1234567',1,4);
CREATE TABLE ticket_events (
	id INTEGER NOT NULL, 
	ticket_id INTEGER NOT NULL, 
	type VARCHAR(16) NOT NULL, 
	outcome VARCHAR(32), 
	at DATETIME NOT NULL, 
	business_date DATE NOT NULL, 
	service_id INTEGER NOT NULL, 
	counter_id INTEGER, 
	user_id INTEGER, 
	detail JSON, 
	CONSTRAINT pk_ticket_events PRIMARY KEY (id), 
	CONSTRAINT fk_ticket_events_counter_id_counters FOREIGN KEY(counter_id) REFERENCES counters (id), 
	CONSTRAINT fk_ticket_events_service_id_services FOREIGN KEY(service_id) REFERENCES services (id), 
	CONSTRAINT fk_ticket_events_ticket_id_tickets FOREIGN KEY(ticket_id) REFERENCES tickets (id), 
	CONSTRAINT fk_ticket_events_user_id_users FOREIGN KEY(user_id) REFERENCES users (id)
);
INSERT INTO "ticket_events" VALUES(1,1,'issued','normal','2026-11-24 02:01:00.000000','2026-11-24',1,NULL,NULL,'{"kiosk": "kiosk-1"}');
INSERT INTO "ticket_events" VALUES(2,2,'issued','normal','2026-11-24 02:02:00.000000','2026-11-24',1,NULL,NULL,'{"kiosk": "kiosk-1"}');
INSERT INTO "ticket_events" VALUES(3,3,'issued','normal','2026-11-24 02:03:00.000000','2026-11-24',1,NULL,NULL,'{"kiosk": "kiosk-1"}');
INSERT INTO "ticket_events" VALUES(4,4,'issued','normal','2026-11-24 02:04:00.000000','2026-11-24',1,NULL,NULL,'{"kiosk": "kiosk-1"}');
INSERT INTO "ticket_events" VALUES(5,5,'issued','normal','2026-11-24 02:05:00.000000','2026-11-24',1,NULL,NULL,'{"kiosk": "kiosk-1"}');
INSERT INTO "ticket_events" VALUES(6,6,'issued','normal','2026-11-24 02:06:00.000000','2026-11-24',1,NULL,NULL,'{"kiosk": "kiosk-1"}');
INSERT INTO "ticket_events" VALUES(7,7,'issued','normal','2026-11-24 02:07:00.000000','2026-11-24',2,NULL,NULL,'{"kiosk": "kiosk-1"}');
INSERT INTO "ticket_events" VALUES(8,8,'issued','normal','2026-11-24 02:08:00.000000','2026-11-24',2,NULL,NULL,'{"kiosk": "kiosk-1"}');
INSERT INTO "ticket_events" VALUES(9,9,'issued','priority','2026-11-24 02:09:00.000000','2026-11-24',2,NULL,NULL,'{"kiosk": "kiosk-1"}');
INSERT INTO "ticket_events" VALUES(10,10,'issued','normal','2026-11-24 02:10:00.000000','2026-11-24',2,NULL,NULL,'{"kiosk": "kiosk-1"}');
INSERT INTO "ticket_events" VALUES(11,11,'issued','normal','2026-11-24 02:11:00.000000','2026-11-24',3,NULL,NULL,'{"kiosk": "kiosk-1"}');
INSERT INTO "ticket_events" VALUES(12,12,'issued','normal','2026-11-24 02:12:00.000000','2026-11-24',3,NULL,NULL,'{"kiosk": "kiosk-1"}');
INSERT INTO "ticket_events" VALUES(13,13,'issued','normal','2026-11-24 02:13:00.000000','2026-11-24',4,NULL,NULL,'{"kiosk": "kiosk-1"}');
INSERT INTO "ticket_events" VALUES(14,14,'issued','normal','2026-11-24 02:14:00.000000','2026-11-24',4,NULL,NULL,'{"kiosk": "kiosk-1"}');
INSERT INTO "ticket_events" VALUES(15,1,'called','next','2026-11-24 02:15:00.000000','2026-11-24',1,1,NULL,'null');
INSERT INTO "ticket_events" VALUES(16,1,'started',NULL,'2026-11-24 02:16:00.000000','2026-11-24',1,1,NULL,'null');
INSERT INTO "ticket_events" VALUES(17,1,'completed','served','2026-11-24 02:17:00.000000','2026-11-24',1,1,NULL,'null');
INSERT INTO "ticket_events" VALUES(18,2,'called','next','2026-11-24 02:18:00.000000','2026-11-24',1,1,NULL,'null');
INSERT INTO "ticket_events" VALUES(19,2,'no_show','staff','2026-11-24 02:19:00.000000','2026-11-24',1,1,NULL,'null');
INSERT INTO "ticket_events" VALUES(20,3,'called','next','2026-11-24 02:20:00.000000','2026-11-24',1,1,NULL,'null');
INSERT INTO "ticket_events" VALUES(21,9,'called','priority','2026-11-24 02:21:00.000000','2026-11-24',2,2,NULL,'null');
INSERT INTO "ticket_events" VALUES(22,9,'completed','served','2026-11-24 02:22:00.000000','2026-11-24',2,2,NULL,'null');
INSERT INTO "ticket_events" VALUES(23,9,'rated','5','2026-11-24 02:23:00.000000','2026-11-24',2,2,NULL,'{"comment": "\u0e1a\u0e23\u0e34\u0e01\u0e32\u0e23\u0e14\u0e35\u0e21\u0e32\u0e01"}');
INSERT INTO "ticket_events" VALUES(24,7,'called','next','2026-11-24 02:24:00.000000','2026-11-24',2,2,NULL,'null');
INSERT INTO "ticket_events" VALUES(25,7,'parked','ไปถ่ายเอกสาร','2026-11-24 02:25:00.000000','2026-11-24',2,2,NULL,'null');
INSERT INTO "ticket_events" VALUES(26,11,'called','next','2026-11-24 02:26:00.000000','2026-11-24',3,3,NULL,'null');
INSERT INTO "ticket_events" VALUES(27,11,'transferred','WELFARE','2026-11-24 02:27:00.000000','2026-11-24',2,3,NULL,'{"from_service_id": 3, "to_service_id": 2}');
CREATE TABLE tickets (
	id INTEGER NOT NULL, 
	public_id VARCHAR(32) NOT NULL, 
	business_date DATE NOT NULL, 
	issued_service_id INTEGER NOT NULL, 
	service_id INTEGER NOT NULL, 
	number INTEGER NOT NULL, 
	label VARCHAR(8) NOT NULL, 
	priority BOOLEAN NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	issued_at DATETIME NOT NULL, 
	queued_at DATETIME NOT NULL, 
	first_called_at DATETIME, 
	last_called_at DATETIME, 
	finished_at DATETIME, 
	counter_id INTEGER, 
	recalls INTEGER NOT NULL, 
	kiosk VARCHAR(64), 
	CONSTRAINT pk_tickets PRIMARY KEY (id), 
	CONSTRAINT ck_tickets_positive_number CHECK (number > 0), 
	CONSTRAINT fk_tickets_counter_id_counters FOREIGN KEY(counter_id) REFERENCES counters (id), 
	CONSTRAINT fk_tickets_issued_service_id_services FOREIGN KEY(issued_service_id) REFERENCES services (id), 
	CONSTRAINT fk_tickets_service_id_services FOREIGN KEY(service_id) REFERENCES services (id), 
	CONSTRAINT uq_tickets_business_date_issued_service_id_number UNIQUE (business_date, issued_service_id, number), 
	CONSTRAINT uq_tickets_public_id UNIQUE (public_id)
);
INSERT INTO "tickets" VALUES(1,'bHW5bHtIjLNmqy4tZNtyNw','2026-11-24',1,1,1,'A001',0,'completed','2026-11-24 02:01:00.000000','2026-11-24 02:01:00.000000','2026-11-24 02:15:00.000000','2026-11-24 02:15:00.000000','2026-11-24 02:17:00.000000',1,0,'kiosk-1');
INSERT INTO "tickets" VALUES(2,'W-MopGxaKofHETVRU5Zdzg','2026-11-24',1,1,2,'A002',0,'no_show','2026-11-24 02:02:00.000000','2026-11-24 02:02:00.000000','2026-11-24 02:18:00.000000','2026-11-24 02:18:00.000000','2026-11-24 02:19:00.000000',1,0,'kiosk-1');
INSERT INTO "tickets" VALUES(3,'LRez7m0ySxf-QfSPmcB6CQ','2026-11-24',1,1,3,'A003',0,'called','2026-11-24 02:03:00.000000','2026-11-24 02:03:00.000000','2026-11-24 02:20:00.000000','2026-11-24 02:20:00.000000',NULL,1,0,'kiosk-1');
INSERT INTO "tickets" VALUES(4,'D4J4cEVGvvRQ-Mlig_GkjA','2026-11-24',1,1,4,'A004',0,'waiting','2026-11-24 02:04:00.000000','2026-11-24 02:04:00.000000',NULL,NULL,NULL,NULL,0,'kiosk-1');
INSERT INTO "tickets" VALUES(5,'PQykbe_R4zRwseCewr7Wwg','2026-11-24',1,1,5,'A005',0,'waiting','2026-11-24 02:05:00.000000','2026-11-24 02:05:00.000000',NULL,NULL,NULL,NULL,0,'kiosk-1');
INSERT INTO "tickets" VALUES(6,'qKYhu_PA8nFJCc1N-_ESfQ','2026-11-24',1,1,6,'A006',0,'waiting','2026-11-24 02:06:00.000000','2026-11-24 02:06:00.000000',NULL,NULL,NULL,NULL,0,'kiosk-1');
INSERT INTO "tickets" VALUES(7,'TYFuAdINO406H62iO_IGbw','2026-11-24',2,2,1,'B001',0,'parked','2026-11-24 02:07:00.000000','2026-11-24 02:07:00.000000','2026-11-24 02:24:00.000000','2026-11-24 02:24:00.000000',NULL,2,0,'kiosk-1');
INSERT INTO "tickets" VALUES(8,'AJtPLv9cdK0xOXd1jIf_QQ','2026-11-24',2,2,2,'B002',0,'waiting','2026-11-24 02:08:00.000000','2026-11-24 02:08:00.000000',NULL,NULL,NULL,NULL,0,'kiosk-1');
INSERT INTO "tickets" VALUES(9,'4KsriDyq0spo_ov-t4YUmA','2026-11-24',2,2,3,'B003',1,'completed','2026-11-24 02:09:00.000000','2026-11-24 02:09:00.000000','2026-11-24 02:21:00.000000','2026-11-24 02:21:00.000000','2026-11-24 02:22:00.000000',2,0,'kiosk-1');
INSERT INTO "tickets" VALUES(10,'qlvM7StQvzYwR8famkUZhQ','2026-11-24',2,2,4,'B004',0,'waiting','2026-11-24 02:10:00.000000','2026-11-24 02:10:00.000000',NULL,NULL,NULL,NULL,0,'kiosk-1');
INSERT INTO "tickets" VALUES(11,'3IrMf70Nh7eOSrGJReFUwQ','2026-11-24',3,2,1,'C001',0,'waiting','2026-11-24 02:11:00.000000','2026-11-24 02:11:00.000000','2026-11-24 02:26:00.000000','2026-11-24 02:26:00.000000',NULL,3,0,'kiosk-1');
INSERT INTO "tickets" VALUES(12,'OGxQ4jIZ-EPjlTO0jgfdsw','2026-11-24',3,3,2,'C002',0,'waiting','2026-11-24 02:12:00.000000','2026-11-24 02:12:00.000000',NULL,NULL,NULL,NULL,0,'kiosk-1');
INSERT INTO "tickets" VALUES(13,'qebIdkBzImZyvFWVkza2Xg','2026-11-24',4,4,1,'D001',0,'waiting','2026-11-24 02:13:00.000000','2026-11-24 02:13:00.000000',NULL,NULL,NULL,NULL,0,'kiosk-1');
INSERT INTO "tickets" VALUES(14,'thTeXUNAgcs0n0TXOFU5og','2026-11-24',4,4,2,'D002',0,'waiting','2026-11-24 02:14:00.000000','2026-11-24 02:14:00.000000',NULL,NULL,NULL,NULL,0,'kiosk-1');
CREATE TABLE users (
	id INTEGER NOT NULL, 
	username VARCHAR(64) NOT NULL, 
	display_name VARCHAR(200) NOT NULL, 
	password_hash VARCHAR(255) NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	division VARCHAR(100), 
	active BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_users PRIMARY KEY (id), 
	CONSTRAINT uq_users_username UNIQUE (username)
);
INSERT INTO "users" VALUES(1,'admin','ผู้ดูแลระบบ','scrypt:32768:8:1$SgSfjcOJWPM8nTFm$c54d97449e6347fcd33bd65fd806ee7191794cfc0f43ae88e9a3341590f3f75ec8308bd8469ce09b48520f42bb8f6b3221e7d86ced9514263fd5fe66e08e01bf','admin',NULL,1,'2026-11-24 18:45:34.869804');
INSERT INTO "users" VALUES(2,'counter1','เจ้าหน้าที่ช่อง 1','scrypt:32768:8:1$bGSEq0Kg0pb2oE8y$74b817ffa3780efd50f34125c82fafffde4b8f2c5241557edac29baf284c518af31c0120a01c0ee9ce8acaa678dd99ab6965603f343795423de7c49dbff022a3','counter','สำนักปลัด',1,'2026-11-24 18:45:34.969073');
INSERT INTO "users" VALUES(3,'officer1','เจ้าหน้าที่รับเรื่องร้องเรียน','scrypt:32768:8:1$4PVCe3IIjs5e69qr$cb8deb0cfd9a650b32738ae30646836cfa46a72a72ea32ee2c8ccc8199e7b62df4bf167c562c45a01d6774741887153c816dd70a976fa4325cf29a4f480324fa','officer','สำนักปลัด',1,'2026-11-24 18:45:35.064616');
INSERT INTO "users" VALUES(4,'executive','ปลัด อบต.','scrypt:32768:8:1$pEeOTnsknlVacxoR$c6be4fe4a7a1b56cb1a7d1c4042ed732c3d50f07cd6a5b3f9851ee9e1d8e9c9b31a1367881dc8282f6f58c5b08a94df3ef5ca7ede7e851ea3e312326fd44edfd','executive',NULL,1,'2026-11-24 18:45:35.160350');
CREATE INDEX ix_report_measure_photos_measure ON report_measure_photos (measure_id, position);
CREATE INDEX ix_report_log_kind_year ON report_log (kind, fiscal_year);
CREATE INDEX ix_tickets_queue ON tickets (business_date, service_id, status, priority, queued_at);
CREATE INDEX ix_ticket_events_date_type ON ticket_events (business_date, type);
CREATE INDEX ix_ticket_events_ticket ON ticket_events (ticket_id, id);
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
       BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END;
CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
       BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END;
CREATE INDEX ix_print_jobs_due ON print_jobs (status, next_attempt_at);
CREATE INDEX ix_print_jobs_printer ON print_jobs (printer, status);
CREATE INDEX ix_print_jobs_ticket ON print_jobs (ticket_id);
CREATE INDEX ix_complaints_status_due ON complaints (status, due_at);
CREATE INDEX ix_complaints_received ON complaints (received_at);
CREATE INDEX ix_complaints_dedupe ON complaints (dedupe_hash, received_at);
CREATE INDEX ix_complaint_events_complaint ON complaint_events (complaint_id, id);
CREATE INDEX ix_complaint_attachments_complaint_id ON complaint_attachments (complaint_id);
CREATE INDEX ix_complaint_access_log_complaint ON complaint_access_log (complaint_id, at);
CREATE TRIGGER complaint_events_no_update BEFORE UPDATE ON complaint_events
            BEGIN SELECT RAISE(ABORT, 'complaint_events is append-only'); END;
CREATE TRIGGER complaint_events_no_delete BEFORE DELETE ON complaint_events
            BEGIN SELECT RAISE(ABORT, 'complaint_events is append-only'); END;
CREATE TRIGGER complaint_access_log_no_update BEFORE UPDATE ON complaint_access_log
            BEGIN SELECT RAISE(ABORT, 'complaint_access_log is append-only'); END;
CREATE TRIGGER complaint_access_log_no_delete BEFORE DELETE ON complaint_access_log
            BEGIN SELECT RAISE(ABORT, 'complaint_access_log is append-only'); END;
COMMIT;
