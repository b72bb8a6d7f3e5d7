"""The demo organisation of Pemerintah Kota Medan as plain tables.

All people are fictional. Tables are keyed by OPD code; unit and position keys
are local to their OPD, except "OPD/key", which names a position in another OPD
(every OPD head reports to "SETDA/sekda"). Rows are ordered parent first. The
keys exist only here: the database is matched by OPD code, unit and position
name, and NIP (see `app.seed.demo`).
"""

from datetime import date

EMAIL_DOMAIN = "pemkomedan.go.id"

# (code, name, kind); SETDA first, since every OPD head reports to the Sekda.
OPDS: tuple[tuple[str, str, str], ...] = (
    ("SETDA", "Sekretariat Daerah Kota Medan", "sekretariat"),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "badan"),
    ("DINKES", "Dinas Kesehatan", "dinas"),
    ("DISDIK", "Dinas Pendidikan", "dinas"),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "dinas"),
    ("KEC-MEDANBARU", "Kecamatan Medan Baru", "kecamatan"),
)

# OPD code -> (key, name, parent unit key)
UNITS: dict[str, tuple[tuple[str, str, str | None], ...]] = {
    "SETDA": (
        ("asisten", "Asisten Administrasi Umum", None),
        ("org", "Bagian Organisasi", "asisten"),
        ("lembaga", "Subbagian Kelembagaan dan Analisis Jabatan", "org"),
        ("umum", "Bagian Umum", "asisten"),
        ("tu", "Subbagian Tata Usaha Pimpinan", "umum"),
    ),
    "BKPSDM": (
        ("sekr", "Sekretariat", None),
        ("umum", "Subbagian Umum dan Kepegawaian", "sekr"),
        ("keu", "Subbagian Program dan Keuangan", "sekr"),
        ("mutasi", "Bidang Mutasi dan Promosi", None),
        ("sub-mutasi", "Subbidang Mutasi", "mutasi"),
        ("kinerja", "Bidang Penilaian Kinerja dan Penghargaan", None),
        ("nilai", "Subbidang Penilaian Kinerja Aparatur", "kinerja"),
        ("data", "Bidang Data dan Sistem Informasi Kepegawaian", None),
    ),
    "DINKES": (
        ("sekr", "Sekretariat", None),
        ("umum", "Subbagian Umum dan Kepegawaian", "sekr"),
        ("keu", "Subbagian Keuangan dan Aset", "sekr"),
        ("yankes", "Bidang Pelayanan Kesehatan", None),
        ("primer", "Seksi Pelayanan Kesehatan Primer", "yankes"),
        ("rujukan", "Seksi Pelayanan Kesehatan Rujukan", "yankes"),
        ("p2p", "Bidang Pencegahan dan Pengendalian Penyakit", None),
        ("surv", "Seksi Surveilans dan Imunisasi", "p2p"),
        ("pkm", "UPT Puskesmas Padang Bulan", None),
    ),
    "DISDIK": (
        ("sekr", "Sekretariat", None),
        ("umum", "Subbagian Umum dan Kepegawaian", "sekr"),
        ("sd", "Bidang Pembinaan Sekolah Dasar", None),
        ("kur", "Seksi Kurikulum Sekolah Dasar", "sd"),
        ("smp", "Bidang Pembinaan Sekolah Menengah Pertama", None),
        ("siswa", "Seksi Peserta Didik dan Pembangunan Karakter", "smp"),
        ("sdn", "SD Negeri 060794 Medan", None),
    ),
    "DISDUKCAPIL": (
        ("sekr", "Sekretariat", None),
        ("umum", "Subbagian Umum dan Kepegawaian", "sekr"),
        ("dafduk", "Bidang Pelayanan Pendaftaran Penduduk", None),
        ("identitas", "Seksi Identitas Penduduk", "dafduk"),
        ("capil", "Bidang Pelayanan Pencatatan Sipil", None),
        ("lahir", "Seksi Kelahiran dan Kematian", "capil"),
    ),
    "KEC-MEDANBARU": (
        ("sekr", "Sekretariat Kecamatan", None),
        ("pem", "Seksi Pemerintahan", None),
        ("trantib", "Seksi Ketenteraman dan Ketertiban Umum", None),
        ("padangbulan", "Kelurahan Padang Bulan", None),
        ("titirantai", "Kelurahan Titi Rantai", None),
    ),
}

# OPD code -> (key, unit key, parent position key, name, kind)
POSITIONS: dict[str, tuple[tuple[str, str | None, str | None, str, str], ...]] = {
    "SETDA": (
        ("sekda", None, None, "Sekretaris Daerah", "jpt"),
        ("asisten", "asisten", "sekda", "Asisten Administrasi Umum", "jpt"),
        ("kabag-org", "org", "asisten", "Kepala Bagian Organisasi", "administrator"),
        ("analis", "org", "kabag-org", "Analis Kebijakan Ahli Pertama", "fungsional"),
        ("kasubbag-lembaga", "lembaga", "kabag-org", "Kepala Subbagian Kelembagaan", "pengawas"),
        ("lembaga.adm", "lembaga", "kasubbag-lembaga", "Pengadministrasi Perkantoran", "pelaksana"),
        ("kabag-umum", "umum", "asisten", "Kepala Bagian Umum", "administrator"),
        ("kasubbag-tu", "tu", "kabag-umum", "Kepala Subbagian Tata Usaha Pimpinan", "pengawas"),
        ("tu.adm", "tu", "kasubbag-tu", "Pengadministrasi Perkantoran", "pelaksana"),
        ("tu.sopir", "tu", "kasubbag-tu", "Pengemudi", "pelaksana"),
    ),
    "BKPSDM": (
        ("kepala", None, "SETDA/sekda", "Kepala Badan Kepegawaian dan Pengembangan SDM", "jpt"),
        ("sekr", "sekr", "kepala", "Sekretaris", "administrator"),
        ("kasubbag-umum", "umum", "sekr", "Kepala Subbagian Umum dan Kepegawaian", "pengawas"),
        ("umum.adm", "umum", "kasubbag-umum", "Pengadministrasi Perkantoran", "pelaksana"),
        ("kasubbag-keu", "keu", "sekr", "Kepala Subbagian Program dan Keuangan", "pengawas"),
        ("keu.pengelola", "keu", "kasubbag-keu", "Pengelola Keuangan", "pelaksana"),
        ("kabid-mutasi", "mutasi", "kepala", "Kepala Bidang Mutasi dan Promosi", "administrator"),
        ("analis-muda", "mutasi", "kabid-mutasi", "Analis SDM Aparatur Ahli Muda", "fungsional"),
        ("kasubbid-mutasi", "sub-mutasi", "kabid-mutasi", "Kepala Subbidang Mutasi", "pengawas"),
        ("mutasi.pengelola", "sub-mutasi", "kasubbid-mutasi", "Pengelola Kepegawaian", "pelaksana"),
        ("kabid-kinerja", "kinerja", "kepala", "Kepala Bidang Penilaian Kinerja", "administrator"),
        ("kasubbid-nilai", "nilai", "kabid-kinerja", "Kepala Subbidang Penilaian", "pengawas"),
        ("analis", "nilai", "kasubbid-nilai", "Analis SDM Aparatur Ahli Pertama", "fungsional"),
        ("nilai.pengolah", "nilai", "kasubbid-nilai", "Pengolah Data Kinerja", "pelaksana"),
        ("kabid-data", "data", "kepala", "Kepala Bidang Data dan Informasi", "administrator"),
        ("data.prakom", "data", "kabid-data", "Pranata Komputer Ahli Muda", "fungsional"),
        ("data.pengolah", "data", "kabid-data", "Pengolah Data Kepegawaian", "pelaksana"),
    ),
    "DINKES": (
        ("kadis", None, "SETDA/sekda", "Kepala Dinas Kesehatan", "jpt"),
        ("sekr", "sekr", "kadis", "Sekretaris", "administrator"),
        ("kasubbag-umum", "umum", "sekr", "Kepala Subbagian Umum dan Kepegawaian", "pengawas"),
        ("umum.adm", "umum", "kasubbag-umum", "Pengadministrasi Perkantoran", "pelaksana"),
        ("kasubbag-keu", "keu", "sekr", "Kepala Subbagian Keuangan dan Aset", "pengawas"),
        ("keu.pengelola", "keu", "kasubbag-keu", "Pengelola Keuangan", "pelaksana"),
        # Vacant; the Sekretaris acts as Plt (see ACTING).
        ("kabid-yankes", "yankes", "kadis", "Kepala Bidang Pelayanan Kesehatan", "administrator"),
        ("kasi-primer", "primer", "kabid-yankes", "Kepala Seksi Pelayanan Primer", "pengawas"),
        ("primer.adm", "primer", "kasi-primer", "Pengadministrasi Perkantoran", "pelaksana"),
        ("primer.pengelola", "primer", "kasi-primer", "Pengelola Layanan Kesehatan", "pelaksana"),
        ("kasi-rujukan", "rujukan", "kabid-yankes", "Kepala Seksi Pelayanan Rujukan", "pengawas"),
        ("rujukan.pengolah", "rujukan", "kasi-rujukan", "Pengolah Data Kesehatan", "pelaksana"),
        ("kabid-p2p", "p2p", "kadis", "Kepala Bidang Pencegahan Penyakit", "administrator"),
        ("epidemiolog", "p2p", "kabid-p2p", "Epidemiolog Kesehatan Ahli Pertama", "fungsional"),
        ("kasi-surv", "surv", "kabid-p2p", "Kepala Seksi Surveilans dan Imunisasi", "pengawas"),
        ("surv.adm", "surv", "kasi-surv", "Pengadministrasi Perkantoran", "pelaksana"),
        ("kapus", "pkm", "kadis", "Kepala UPT Puskesmas Padang Bulan", "pengawas"),
        ("pkm.dokter", "pkm", "kapus", "Dokter Ahli Pertama", "fungsional"),
        ("pkm.perawat", "pkm", "kapus", "Perawat Ahli Pertama", "fungsional"),
        ("pkm.perawat-terampil", "pkm", "kapus", "Perawat Terampil", "fungsional"),
        ("pkm.bidan", "pkm", "kapus", "Bidan Terampil", "fungsional"),
        ("pkm.adm", "pkm", "kapus", "Pengadministrasi Umum", "pelaksana"),
    ),
    "DISDIK": (
        ("kadis", None, "SETDA/sekda", "Kepala Dinas Pendidikan", "jpt"),
        ("sekr", "sekr", "kadis", "Sekretaris", "administrator"),
        ("kasubbag-umum", "umum", "sekr", "Kepala Subbagian Umum dan Kepegawaian", "pengawas"),
        ("umum.pengelola", "umum", "kasubbag-umum", "Pengelola Kepegawaian", "pelaksana"),
        ("umum.adm", "umum", "kasubbag-umum", "Pengadministrasi Perkantoran", "pelaksana"),
        ("kabid-sd", "sd", "kadis", "Kepala Bidang Pembinaan SD", "administrator"),
        ("kasi-kur", "kur", "kabid-sd", "Kepala Seksi Kurikulum SD", "pengawas"),
        ("kur.pengolah", "kur", "kasi-kur", "Pengolah Data Kurikulum", "pelaksana"),
        ("kepsek", "sdn", "kabid-sd", "Kepala SD Negeri 060794 Medan", "fungsional"),
        ("guru-muda", "sdn", "kepsek", "Guru Ahli Muda", "fungsional"),
        ("guru-pertama", "sdn", "kepsek", "Guru Ahli Pertama", "fungsional"),
        ("kabid-smp", "smp", "kadis", "Kepala Bidang Pembinaan SMP", "administrator"),
        ("kasi-siswa", "siswa", "kabid-smp", "Kepala Seksi Peserta Didik", "pengawas"),
        ("siswa.adm", "siswa", "kasi-siswa", "Pengadministrasi Perkantoran", "pelaksana"),
    ),
    "DISDUKCAPIL": (
        ("kadis", None, "SETDA/sekda", "Kepala Dinas Kependudukan dan Pencatatan Sipil", "jpt"),
        ("sekr", "sekr", "kadis", "Sekretaris", "administrator"),
        ("kasubbag-umum", "umum", "sekr", "Kepala Subbagian Umum dan Kepegawaian", "pengawas"),
        ("umum.adm", "umum", "kasubbag-umum", "Pengadministrasi Perkantoran", "pelaksana"),
        ("kabid-dafduk", "dafduk", "kadis", "Kepala Bidang Pendaftaran Penduduk", "administrator"),
        ("adminduk", "dafduk", "kabid-dafduk", "Administrator Database Kependudukan", "fungsional"),
        ("kasi-id", "identitas", "kabid-dafduk", "Kepala Seksi Identitas Penduduk", "pengawas"),
        ("id.pengolah", "identitas", "kasi-id", "Pengolah Data Kependudukan", "pelaksana"),
        ("kabid-capil", "capil", "kadis", "Kepala Bidang Pencatatan Sipil", "administrator"),
        ("kasi-lahir", "lahir", "kabid-capil", "Kepala Seksi Kelahiran dan Kematian", "pengawas"),
        ("lahir.adm", "lahir", "kasi-lahir", "Pengadministrasi Kependudukan", "pelaksana"),
    ),
    "KEC-MEDANBARU": (
        ("camat", None, "SETDA/sekda", "Camat Medan Baru", "administrator"),
        ("sekcam", "sekr", "camat", "Sekretaris Camat", "administrator"),
        ("sekr.adm", "sekr", "sekcam", "Pengadministrasi Perkantoran", "pelaksana"),
        # Vacant with no Plt/Plh: its staff are appraised by the Camat.
        ("kasi-pem", "pem", "camat", "Kepala Seksi Pemerintahan", "pengawas"),
        ("pem.adm", "pem", "kasi-pem", "Pengadministrasi Pemerintahan", "pelaksana"),
        ("kasi-trantib", "trantib", "camat", "Kepala Seksi Trantibum", "pengawas"),
        ("trantib.pengelola", "trantib", "kasi-trantib", "Pengelola Ketertiban Umum", "pelaksana"),
        ("lurah-pb", "padangbulan", "camat", "Lurah Padang Bulan", "pengawas"),
        ("pb.adm", "padangbulan", "lurah-pb", "Pengadministrasi Umum", "pelaksana"),
        ("lurah-tr", "titirantai", "camat", "Lurah Titi Rantai", "pengawas"),
        ("tr.adm", "titirantai", "lurah-tr", "Pengadministrasi Umum", "pelaksana"),
    ),
}

# OPD code -> (position key, name, sex L/P, golongan, birth year, appointment year)
# A golongan with a slash (III/a) is a PNS; a bare Roman numeral (IX) is a PPPK.
# Birth day and month, appointment month and phone number come from a fixed seed.
EMPLOYEES: dict[str, tuple[tuple[str, str, str, str, int, int], ...]] = {
    "SETDA": (
        ("sekda", "Drs. Syahrul Efendi Harahap, M.Si.", "L", "IV/d", 1969, 1995),
        ("asisten", "H. Ahmad Fauzi Daulay, S.H., M.H.", "L", "IV/c", 1972, 1998),
        ("kabag-org", "Dra. Nurhayati Pane, M.AP.", "P", "IV/b", 1974, 1999),
        ("analis", "Dewi Kartika Sari, S.IP.", "P", "III/b", 1993, 2019),
        ("kasubbag-lembaga", "Muhammad Iqbal Rangkuti, S.STP., M.Si.", "L", "III/d", 1988, 2010),
        ("lembaga.adm", "Fitriani Lubis, S.Sos.", "P", "III/a", 1996, 2020),
        ("lembaga.adm", "Andi Saputra", "L", "II/c", 1992, 2014),
        ("kabag-umum", "Hendra Gunawan Tarigan, S.E., M.M.", "L", "IV/a", 1976, 2002),
        ("kasubbag-tu", "Yusnita Br. Ginting, S.Sos.", "P", "III/d", 1980, 2006),
        ("tu.adm", "Sri Wahyuni", "P", "II/d", 1987, 2009),
        ("tu.adm", "Rizky Ananda Pohan, A.Md.", "L", "II/c", 1997, 2020),
        ("tu.sopir", "Sutrisno", "L", "II/a", 1979, 2005),
    ),
    "BKPSDM": (
        ("kepala", "Dr. Muhammad Sofyan Nasution, S.Sos., M.Si.", "L", "IV/c", 1971, 1996),
        ("sekr", "Hj. Rosmawati Siregar, S.H., M.H.", "P", "IV/b", 1973, 1999),
        ("kasubbag-umum", "Indra Kusuma Batubara, S.E.", "L", "III/d", 1982, 2008),
        ("umum.adm", "Nur Aisyah Hasibuan, S.E.", "P", "III/a", 1997, 2020),
        ("umum.adm", "Bambang Sugiarto", "L", "II/d", 1984, 2006),
        ("kasubbag-keu", "Ratna Dewi Simanjuntak, S.Ak.", "P", "III/c", 1986, 2011),
        ("keu.pengelola", "Yohana Situmorang, A.Md.", "P", "II/c", 1994, 2017),
        ("kabid-mutasi", "Erwin Saragih, S.H., M.AP.", "L", "IV/a", 1977, 2003),
        ("analis-muda", "Tengku Ahmad Riza, S.IP., M.Si.", "L", "III/d", 1985, 2010),
        ("kasubbid-mutasi", "Lisbet Manurung, S.Sos.", "P", "III/d", 1983, 2009),
        ("mutasi.pengelola", "Agus Salim Pulungan, S.AP.", "L", "III/b", 1991, 2015),
        ("mutasi.pengelola", "Wulan Permata Sari, S.Psi.", "P", "III/a", 1996, 2021),
        ("kabid-kinerja", "Dra. Elvi Yanti Lubis, M.Si.", "P", "IV/b", 1972, 1998),
        ("kasubbid-nilai", "Ahmad Rivai Matondang, S.Sos., M.AP.", "L", "III/d", 1984, 2009),
        ("analis", "Rahmat Hidayat Siregar, S.Kom.", "L", "III/b", 1992, 2017),
        ("analis", "Putri Rahmadani Harahap, S.Psi.", "P", "III/a", 1997, 2021),
        ("nilai.pengolah", "Fajar Ramadhan, A.Md.", "L", "II/c", 1998, 2021),
        ("kabid-data", "Ir. Budi Santoso Lubis, M.T.", "L", "IV/a", 1975, 2001),
        ("data.prakom", "Hendrik Tanjaya, S.Kom., M.Kom.", "L", "III/c", 1988, 2013),
        ("data.pengolah", "Melati Br. Sembiring, S.Kom.", "P", "III/a", 1996, 2020),
    ),
    "DINKES": (
        ("kadis", "dr. Taufik Hidayat Ritonga, M.Kes.", "L", "IV/c", 1970, 1998),
        ("sekr", "drg. Sri Rezeki Nasution, M.Kes.", "P", "IV/b", 1974, 2001),
        ("kasubbag-umum", "Irwansyah Putra, S.E.", "L", "III/d", 1981, 2007),
        ("umum.adm", "Siti Khadijah Tanjung", "P", "II/d", 1986, 2008),
        ("umum.adm", "Doni Saputra Silalahi, S.Kom.", "L", "III/a", 1996, 2021),
        ("kasubbag-keu", "Lina Marlina Purba, S.E., M.Ak.", "P", "III/d", 1983, 2008),
        ("keu.pengelola", "Evi Susanti, S.Ak.", "P", "III/b", 1992, 2017),
        ("kasi-primer", "dr. Siti Aminah Nasution, M.Kes.", "P", "III/d", 1984, 2011),
        ("primer.adm", "Dian Anggraini Lubis, S.KM.", "P", "III/a", 1996, 2020),
        ("primer.adm", "Rina Marlina Sembiring, A.Md.", "P", "II/c", 1995, 2019),
        ("primer.adm", "Joko Prasetyo", "L", "II/b", 1990, 2014),
        ("primer.adm", "Nurul Fadhilah Daulay, S.Sos.", "P", "III/a", 1997, 2021),
        ("primer.pengelola", "Maria Magdalena Sinaga, S.Kep.", "P", "III/a", 1995, 2020),
        ("kasi-rujukan", "Tumpal Hutapea, S.KM., M.Kes.", "L", "III/d", 1982, 2008),
        ("rujukan.pengolah", "Ahmad Zulkarnain Pasaribu, A.Md.", "L", "II/c", 1993, 2016),
        ("kabid-p2p", "dr. Heri Purnomo, M.K.M.", "L", "IV/a", 1976, 2004),
        ("epidemiolog", "Yudi Pratama Gultom, S.KM.", "L", "III/b", 1993, 2018),
        ("kasi-surv", "Erna Wati Simatupang, S.KM.", "P", "III/d", 1981, 2006),
        ("surv.adm", "Wahyuni Batubara", "P", "II/b", 1991, 2013),
        ("kapus", "dr. Fitri Handayani Lubis", "P", "III/d", 1983, 2010),
        ("pkm.dokter", "dr. Kevin Wijaya", "L", "III/b", 1993, 2020),
        ("pkm.perawat", "Ns. Juliana Sitorus, S.Kep.", "P", "III/a", 1995, 2020),
        ("pkm.perawat-terampil", "Desi Ratnasari, A.Md.Kep.", "P", "VII", 1997, 2023),
        ("pkm.perawat-terampil", "Roni Simbolon, A.Md.Kep.", "L", "VII", 1996, 2023),
        ("pkm.bidan", "Suryani Harahap, A.Md.Keb.", "P", "VII", 1994, 2022),
        ("pkm.adm", "Eko Wahyudi", "L", "II/a", 1998, 2019),
    ),
    "DISDIK": (
        ("kadis", "Drs. Parlindungan Hasibuan, M.Pd.", "L", "IV/c", 1968, 1994),
        ("sekr", "Hj. Nurmala Dewi Siregar, S.Pd., M.Pd.", "P", "IV/b", 1972, 1998),
        ("kasubbag-umum", "Ferdinand Panjaitan, S.H.", "L", "III/d", 1981, 2006),
        ("umum.pengelola", "Sri Handayani, S.E.", "P", "III/b", 1990, 2015),
        ("umum.adm", "Bonar Sihombing", "L", "II/c", 1989, 2011),
        ("umum.adm", "Aulia Rahman", "L", "II/b", 1995, 2018),
        ("kabid-sd", "Drs. Zulkifli Lubis, M.Pd.", "L", "IV/a", 1970, 1997),
        ("kasi-kur", "Hotmaida Sianturi, S.Pd.", "P", "III/d", 1980, 2005),
        ("kur.pengolah", "Rudi Hartono", "L", "II/c", 1988, 2010),
        ("kepsek", "Hj. Masniari Daulay, S.Pd.", "P", "IV/a", 1971, 1996),
        ("guru-muda", "Tiurma Simanjuntak, S.Pd.", "P", "III/c", 1984, 2009),
        ("guru-muda", "Syafrizal, S.Pd.", "L", "III/c", 1983, 2010),
        ("guru-pertama", "Novita Sari, S.Pd.", "P", "IX", 1993, 2022),
        ("guru-pertama", "Arif Rahman Hakim, S.Pd.", "L", "IX", 1992, 2022),
        ("kabid-smp", "Drs. Benny Sinaga, M.Si.", "L", "IV/a", 1971, 1997),
        ("kasi-siswa", "Rosliana Tampubolon, S.Pd., M.Pd.", "P", "III/d", 1982, 2007),
        ("siswa.adm", "Dedi Kurniawan", "L", "II/d", 1987, 2009),
    ),
    "DISDUKCAPIL": (
        ("kadis", "Drs. Ridwan Effendi Pane, M.AP.", "L", "IV/c", 1970, 1996),
        ("sekr", "Hj. Yusmaniar Rambe, S.E., M.Si.", "P", "IV/a", 1975, 2000),
        ("kasubbag-umum", "Freddy Gultom, S.Sos.", "L", "III/d", 1980, 2005),
        ("umum.adm", "Ani Suryani", "P", "II/c", 1988, 2010),
        ("umum.adm", "Taufik Akbar Nasution, S.Kom.", "L", "III/a", 1997, 2022),
        ("kabid-dafduk", "Charles Lumbantobing, S.H., M.H.", "L", "IV/a", 1976, 2002),
        ("adminduk", "Kurniawan Setiadi, S.T.", "L", "III/b", 1991, 2016),
        ("kasi-id", "Lily Susanti Halim, S.E.", "P", "III/d", 1983, 2009),
        ("id.pengolah", "Ilham Syahputra", "L", "II/c", 1994, 2016),
        ("id.pengolah", "Rahma Yanti, A.Md.", "P", "II/c", 1995, 2018),
        ("id.pengolah", "Safrida Hanum Lubis, S.Kom.", "P", "III/a", 1997, 2021),
        ("kabid-capil", "Dra. Masdalena Harahap, M.Si.", "P", "IV/a", 1973, 1999),
        ("kasi-lahir", "Jhonson Manik, S.Sos.", "L", "III/d", 1979, 2004),
        ("lahir.adm", "Ayu Lestari", "P", "II/b", 1996, 2018),
        ("lahir.adm", "Rizal Fahmi Siregar, S.H.", "L", "III/a", 1995, 2020),
    ),
    "KEC-MEDANBARU": (
        ("camat", "Ahmad Fadli Nasution, S.STP., M.AP.", "L", "IV/a", 1987, 2009),
        ("sekcam", "Rizky Ramadhan Lubis, S.STP.", "L", "III/d", 1990, 2012),
        ("sekr.adm", "Nurhalimah", "P", "II/c", 1985, 2008),
        ("pem.adm", "Bayu Anggara Sitepu, S.IP.", "L", "III/a", 1996, 2021),
        ("pem.adm", "Hartini", "P", "II/b", 1990, 2014),
        ("kasi-trantib", "Poltak Situmeang, S.H.", "L", "III/c", 1984, 2010),
        ("trantib.pengelola", "Syahrial Tanjung", "L", "II/c", 1983, 2007),
        ("lurah-pb", "Dian Novita Pohan, S.STP.", "P", "III/c", 1992, 2014),
        ("pb.adm", "Suherman", "L", "II/a", 1981, 2007),
        ("pb.adm", "Arif Munandar Rangkuti", "L", "II/b", 1994, 2017),
        ("lurah-tr", "Oki Prasetya Hutagalung, S.IP.", "L", "III/c", 1991, 2015),
        ("tr.adm", "Linda Kristina Sihotang", "P", "II/c", 1992, 2013),
    ),
}

# (OPD/position key, employee name, kind, first day, last day): the demo's one Plt.
ACTING: tuple[tuple[str, str, str, date, date], ...] = (
    (
        "DINKES/kabid-yankes",
        "drg. Sri Rezeki Nasution, M.Kes.",
        "plt",
        date(2026, 1, 1),
        date(2026, 12, 31),
    ),
)

# Employee name -> roles granted explicitly (all in BKPSDM).
ROLE_GRANTS: dict[str, tuple[str, ...]] = {
    "Ahmad Rivai Matondang, S.Sos., M.AP.": ("verifikator_bkd",),
    "Rahmat Hidayat Siregar, S.Kom.": ("verifikator_bkd",),
    "Putri Rahmadani Harahap, S.Psi.": ("verifikator_bkd",),
    "Hendrik Tanjaya, S.Kom., M.Kom.": ("admin_bkd",),
}

# The kepala daerah: not an ASN (no SKP, no pangkat), but the pejabat penilai of the
# city's JPT (app.org.appraisers). SIKAP needs an 18-digit identifier to sign them in;
# the demo's is shaped like a NIP (fictional person and number).
KEPALA_DAERAH = (
    "SETDA",
    "Wali Kota Medan",
    "H. Darmawan Sitompul, S.E., M.M.",
    "197203152000031001",
)
# JPT levels (app.models.org.POSITION_LEVELS): the sekda; every other JPT is a JPT pratama.
POSITION_LEVELS: dict[str, str] = {"SETDA/sekda": "sekda"}

# OPD code -> (employee name of the pengelola kinerja, appointed by the OPD's head).
PENGELOLA_KINERJA: dict[str, str] = {"DINKES": "Siti Khadijah Tanjung"}

# The logins printed by `flask seed-demo`: a DINKES pelaksana, their Kepala Seksi,
# a BKPSDM verifier, the BKPSDM admin, the wali kota and DINKES' pengelola kinerja.
LOGINS: dict[str, str] = {
    "pegawai": "Dian Anggraini Lubis, S.KM.",
    "atasan": "dr. Siti Aminah Nasution, M.Kes.",
    "verifikator": "Rahmat Hidayat Siregar, S.Kom.",
    "admin": "Hendrik Tanjaya, S.Kom., M.Kom.",
    "walikota": KEPALA_DAERAH[2],
    "pengelola": "Siti Khadijah Tanjung",
}

# Pangkat of each PNS golongan ruang.
PANGKAT: dict[str, str] = {
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tingkat I",
    "I/c": "Juru",
    "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}
