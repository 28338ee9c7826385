"""Indonesian names by ethnic group, and where each group lives and works.

Naming customs differ, so each group has a style: Javanese and Sundanese use one or two given
names; Batak, Minahasa, Papuan and Timorese names end in a clan (marga, fam) and a mother comes
from another clan; Balinese names carry I/Ni and the birth-order name; Chinese-Indonesian names
are Indonesianised or, for older people, three Hokkien/Hakka syllables. Mothers get names of their
generation (Sumiati, Enok, Tiurma Br Siregar).
"""

import random
from dataclasses import dataclass

GIVEN, CLAN, CHINESE, BALINESE = "given", "clan", "chinese", "balinese"


@dataclass(frozen=True)
class Ethnicity:
    key: str
    weight: int
    homes: tuple[tuple[str, int], ...]  # (regency code, weight) where a NIK is first issued
    workplaces: tuple[tuple[str, int], ...]  # where people of the group find jobs, migration included
    style: str
    male: tuple[str, ...]
    female: tuple[str, ...]
    male_second: tuple[str, ...] = ()
    female_second: tuple[str, ...] = ()
    clans: tuple[str, ...] = ()
    mothers: tuple[str, ...] = ()
    male_titles: tuple[str, ...] = ()  # Andi, Teuku, Lalu: used by a minority
    female_titles: tuple[str, ...] = ()
    two_part: float = 0.75  # share of names with a second part


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split(","))


JAVANESE = Ethnicity(
    "jawa", 36,
    homes=(("3374", 4), ("3372", 3), ("3310", 3), ("3302", 3), ("3319", 2), ("3471", 2), ("3404", 2),
           ("3402", 2), ("3578", 4), ("3507", 3), ("3509", 3), ("3573", 2), ("3515", 2), ("3525", 2)),
    workplaces=(("3374", 4), ("3372", 2), ("3310", 1), ("3319", 2), ("3471", 2), ("3404", 1), ("3578", 5),
                ("3515", 3), ("3525", 3), ("3573", 2), ("3507", 1), ("3171", 4), ("3172", 3), ("3174", 2),
                ("3216", 4), ("3215", 3), ("3603", 3), ("3671", 2), ("2171", 2), ("6471", 1)),
    style=GIVEN,
    male=_words("Agus,Budi,Joko,Slamet,Bambang,Eko,Dwi,Tri,Bayu,Wahyu,Hendro,Sigit,Teguh,Yudi,Rudi,Heru,Arif,"
                "Adi,Dimas,Galih,Rizky,Fajar,Aditya,Anton,Bagus,Yoga,Danang,Wisnu,Ari,Imam,Sutrisno,Suyanto,"
                "Mulyono,Sugiyono,Darmaji,Suparman"),
    female=_words("Sri,Dwi,Tri,Siti,Endang,Rina,Dewi,Ayu,Putri,Indah,Fitri,Novi,Retno,Ratna,Yuni,Nur,Anik,"
                  "Puji,Wulan,Kartika,Eka,Diah,Rini,Tutik,Lestari"),
    male_second=_words("Santoso,Prasetyo,Wibowo,Nugroho,Setiawan,Susanto,Purnomo,Hartono,Saputro,Kurniawan,"
                       "Hidayat,Utomo,Raharjo,Sulistyo,Widodo,Pamungkas,Setyawan,Firmansyah,Wicaksono,"
                       "Priyanto,Hermawan,Budiman,Suryanto"),
    female_second=_words("Wahyuni,Lestari,Rahayu,Handayani,Susanti,Wulandari,Purwanti,Rahmawati,Kusumawati,"
                         "Astuti,Mulyani,Suryani,Widyastuti,Pratiwi,Anggraini,Maharani,Setyaningsih,Ningsih,"
                         "Puspitasari,Permatasari"),
    mothers=_words("Sumiati,Suparmi,Tukiyem,Sulastri,Ngatini,Wartini,Sumarni,Partini,Sukarni,Siti Khotijah,"
                   "Sri Rejeki,Marsini,Suwarni,Kasiyem,Tumini,Sri Mulyani,Endang Sulastri,Sutinah,Jumiati"),
)

SUNDANESE = Ethnicity(
    "sunda", 18,
    homes=(("3273", 4), ("3204", 4), ("3205", 3), ("3206", 2), ("3278", 2), ("3201", 3), ("3276", 1),
           ("3215", 1)),
    workplaces=(("3273", 5), ("3204", 3), ("3201", 3), ("3276", 2), ("3215", 4), ("3216", 4), ("3275", 2),
                ("3205", 1), ("3278", 1), ("3171", 2), ("3172", 2), ("3603", 2), ("3674", 1)),
    style=GIVEN,
    male=_words("Asep,Ujang,Dede,Cecep,Yayan,Dadang,Deden,Iwan,Wawan,Ade,Agus,Dadan,Encep,Jajang,Ruslan,"
                "Rizal,Ridwan,Aep,Engkus,Hendi,Rudi,Yusuf,Ilham,Rian"),
    female=_words("Neng,Euis,Lilis,Iis,Yuyun,Imas,Eneng,Rina,Dewi,Siti,Nining,Tuti,Yeni,Ai,Resti,Rani,Santi,"
                  "Wida,Rika,Nenden"),
    male_second=_words("Saepudin,Suryana,Rohmat,Hidayat,Sopian,Supriatna,Kurniawan,Sutisna,Gunawan,Permana,"
                       "Firmansyah,Mulyana,Setiadi,Hermawan,Nugraha,Ramdani,Sukmana,Kusnadi,Sumarna"),
    female_second=_words("Kurniasih,Suryani,Rosita,Nurhayati,Komalasari,Sulastri,Rahmawati,Maryati,Yuliani,"
                         "Mulyani,Nurjanah,Sumiati,Hasanah,Fitriani,Lestari,Rosmiati,Juariah"),
    mothers=_words("Enok,Iyah,Onih,Imas,Entin,Cucu,Eti Rohaeti,Aisyah,Oom,Titin,Dedeh,Euis,Popon,Enah,"
                   "Iis Suryati,Tati,Yoyoh,Nunung"),
)

BATAK = Ethnicity(
    "batak", 7,
    homes=(("1275", 5), ("1212", 3), ("1205", 3), ("1206", 3)),
    workplaces=(("1275", 6), ("1212", 3), ("1205", 1), ("1206", 1), ("2171", 2), ("1471", 1), ("3171", 2),
                ("3174", 1), ("3216", 1)),
    style=CLAN,
    male=_words("Rudolf,Maruli,Hotma,Lamhot,Parulian,Jonatan,Samuel,Daniel,Roy,Fernando,Sahat,Tigor,Binsar,"
                "Pardamean,Hisar,Togar,Andreas,Bonar,Martua,Doli,Benny,Poltak"),
    female=_words("Rosmawati,Tiurma,Rotua,Lasma,Debora,Maria,Yanti,Sondang,Nurmala,Hotnida,Rumondang,Melati,"
                  "Grace,Erika,Novita,Rina,Dameria,Lenny"),
    male_second=_words("Tua,Hasudungan,Parlindungan,Halomoan,Pandapotan,Sahala,Mangara"),
    clans=_words("Simanjuntak,Siregar,Hutapea,Nainggolan,Sitompul,Simatupang,Pardede,Situmorang,Panjaitan,"
                 "Sinaga,Manurung,Hutagalung,Tampubolon,Sihombing,Silalahi,Napitupulu,Pasaribu,Sianipar,"
                 "Ginting,Tarigan,Sembiring,Nasution,Lubis,Harahap"),
    mothers=_words("Tiurma,Rosmawati,Lasmaria,Nurmala,Tiominar,Rosdiana,Hotmaida,Masniari,Rismawati,Saurma"),
    two_part=0.3,
)

MINANG = Ethnicity(
    "minang", 6,
    homes=(("1371", 5), ("1375", 2), ("1307", 3)),
    workplaces=(("1371", 5), ("1375", 1), ("1471", 3), ("2171", 1), ("3171", 2), ("3173", 1), ("1275", 1)),
    style=GIVEN,
    male=_words("Afrizal,Yusrizal,Zulkifli,Asrul,Zulhendri,Rahmat,Fauzan,Rizki,Ikhsan,Hendra,Andri,Yulizar,"
                "Syafrizal,Nofrizal,Dedi,Jufri,Irwan,Ferdi,Arif,Rahmad"),
    female=_words("Yulia,Rahmi,Desfitriani,Nofriyanti,Yenni,Fitri,Elfi,Rosnelly,Suci,Mutia,Rahmadani,Yusnita,"
                  "Vivi,Delvia,Silvia,Rini,Zulfa,Nurhasanah"),
    male_second=_words("Syahputra,Hidayat,Putra,Saputra,Fauzi,Rahman,Efendi,Chaniago,Piliang,Tanjung,"
                       "Sikumbang,Koto,Jambak"),
    female_second=_words("Marlina,Yanti,Sari,Rahmi,Putri,Wahyuni,Anggraini,Yusra,Novita,Chaniago,Piliang"),
    mothers=_words("Rosna,Nurhayati,Yusniar,Rosmaini,Darmawati,Nurbaiti,Zuraida,Asniar,Jusmaniar,Syamsiar,"
                   "Nurlela,Ratna Juita"),
)

BUGIS = Ethnicity(
    "bugis", 5,
    homes=(("7371", 4), ("7308", 3), ("7372", 2)),
    workplaces=(("7371", 5), ("7308", 1), ("7372", 1), ("6471", 2), ("6472", 2), ("9171", 1), ("3172", 1)),
    style=GIVEN,
    male=_words("Baso,Irfan,Syahrul,Arfah,Rusdi,Takdir,Sudirman,Hasanuddin,Amir,Syamsul,Irwan,Arman,Rahman,"
                "Haerul,Ilham,Akbar,Fadli,Asdar,Muliadi,Jusman,Alimuddin,Ridwan"),
    female=_words("Hasnawati,Sitti Rahmah,Nurhayati,Rahmawati,Nurul,Tenri,Besse,Hasmiati,Nurhidayah,Asriani,"
                  "Ramlah,Suriani,Irmawati,Jumriah,Kasmawati,Darmawati,Fitriani"),
    male_second=_words("Amir,Alimuddin,Syarif,Ramli,Hamzah,Sultan,Saleh,Rusli,Hakim,Bahri,Tahir,Kadir"),
    female_second=_words("Fadillah,Ajeng,Ulfa,Amalia,Sari,Rahayu,Hamid,Kadir"),
    mothers=_words("Ramlah,Sitti Hawa,Hasnah,Bungatang,Becce,Nurjannah,Saenab,Hadijah,Sitti Maryam,"
                   "Andi Tenri Sau,Hj. Rosmini,Rabiah"),
    male_titles=_words("Andi,Muh.,Muhammad"),
    female_titles=("Andi",),
    two_part=0.5,
)

CHINESE_INDONESIAN = Ethnicity(
    "tionghoa", 6,
    homes=(("3175", 3), ("3174", 3), ("1275", 3), ("3578", 2), ("6172", 2), ("6171", 2), ("2171", 1),
           ("3374", 1)),
    workplaces=(("3175", 3), ("3174", 3), ("3173", 2), ("3171", 2), ("3671", 1), ("1275", 3), ("3578", 3),
                ("6172", 1), ("6171", 2), ("2171", 2), ("3374", 1)),
    style=CHINESE,
    male=_words("Hendra,Yohanes,Felix,Kevin,Steven,William,Andreas,Michael,Jimmy,Johan,Rudy,Tony,Eddy,Hendry,"
                "Sugianto,Hartanto,Leonardo,Jason,Vincent,Budi"),
    female=_words("Lili,Lina,Stefanie,Vivian,Linda,Susi,Meiliana,Yuliana,Cindy,Jessica,Angela,Fransiska,"
                  "Herlina,Veronica,Natalia,Wenny,Sherly,Melinda"),
    male_second=_words("Kim,Kiat,Hok,Sin,Bun,Fung,Khiong,Tjoen,Jin,Liong,Seng,Hin"),
    female_second=_words("Siu,Lan,Mei,Ling,Hui,Moi,Chui,Giok,Lian,Hwa,Nio,Eng"),
    clans=_words("Wijaya,Tanuwijaya,Halim,Gunawan,Salim,Tanoto,Hartono,Santoso,Kurniawan,Sutanto,Setiadi,"
                 "Widjaja,Gozali,Tjandra,Susilo,Hermanto,Lukito,Kusuma,Lim,Tan,Lie"),
    # For this group: old-style family names, used by older people and most mothers.
    mothers=_words("Lim,Tan,Oey,Liem,Ong,Bong,Tjhai,Phang,Chong,Ng,Lie,The"),
)

BALINESE_GROUP = Ethnicity(
    "bali", 3,
    homes=(("5171", 3), ("5103", 3)),
    workplaces=(("5171", 4), ("5103", 5), ("3171", 1)),
    style=BALINESE,
    male=_words("Sudarta,Suarsana,Artawan,Widiana,Agus Suryawan,Budiarta,Sukadana,Mertayasa,Wirawan,Darmawan,"
                "Adi Putra,Arya Putra,Eka Saputra,Suyasa"),
    female=_words("Ayu Lestari,Sri Wahyuni,Sukarini,Ariani,Suastini,Sriasih,Dewi Anggreni,Mariani,Yuliantari,"
                  "Ayu Sintya,Rai Sudewi,Puspawati"),
    mothers=_words("Sukerti,Rai,Sudiani,Suastiti,Kompyang,Sumerti,Sriani,Karsini,Rasmini"),
)

ACEHNESE = Ethnicity(
    "aceh", 3,
    homes=(("1171", 4), ("1106", 3)),
    workplaces=(("1171", 5), ("1106", 2), ("1275", 2), ("3173", 1)),
    style=GIVEN,
    male=_words("Zulfikar,Muhammad Iqbal,Fadhil,Khairul,Munawar,Reza,Mukhlis,Azhari,Razali,Safrizal,Maulana,"
                "Husaini,Rahmatillah,Fauzan,Mirza"),
    female=_words("Nurul Husna,Rahmatillah,Fitriani,Meutia,Ulfa,Mutia,Khairunnisa,Nurmala,Rahmi,Intan,Zahara,"
                  "Raihan"),
    male_second=_words("Ibrahim,Abdullah,Yusuf,Hasan,Ismail,Daud,Harun,Amin,Idris"),
    female_second=_words("Ibrahim,Abdullah,Yusuf,Hasan,Ismail,Sari,Fadhilah"),
    mothers=_words("Nurhayati,Aisyah,Ramlah,Cut Asmah,Fatimah,Nurlela,Mariani,Hafsah,Rukiah,Zainab"),
    male_titles=("Teuku", "T."),
    female_titles=("Cut",),
    two_part=0.5,
)

BETAWI = Ethnicity(
    "betawi", 8,
    homes=(("3171", 3), ("3172", 3), ("3173", 2), ("3174", 2), ("3175", 2), ("3276", 1), ("3275", 1),
           ("3671", 1), ("3674", 1)),
    workplaces=(("3171", 4), ("3172", 3), ("3173", 3), ("3174", 2), ("3175", 2), ("3276", 1), ("3275", 1),
                ("3671", 2), ("3674", 2), ("3603", 1), ("3672", 1)),
    style=GIVEN,
    male=_words("Muhammad,Ahmad,Abdul,Rizky,Fikri,Ilham,Haris,Irfan,Mamat,Jaenudin,Ridho,Zaenal,Hamdani,"
                "Saiful,Romli,Sanusi,Bagus,Fadil"),
    female=_words("Nur Aisyah,Siti,Fatimah,Zahra,Rohani,Maesaroh,Nurlela,Khadijah,Rohmah,Saodah,Hafsah,"
                  "Aminah,Nurjanah,Halimah,Syarifah,Anisa,Dinda,Salsabila"),
    male_second=_words("Rizky,Fauzi,Ridwan,Syahrul,Hasan,Rahman,Fikri,Jaelani,Saiful,Sanusi,Ramadhan,Maulana,"
                       "Hakim,Firdaus"),
    female_second=_words("Nurhaliza,Rahmawati,Azzahra,Fitriyani,Maharani,Febriani,Oktaviani,Ramadhani"),
    mothers=_words("Hj. Saodah,Rohaya,Munah,Aminah,Zubaedah,Ropiah,Hasanah,Maemunah,Mursidah,Rohimah,"
                   "Nafsiah"),
)

MINAHASA = Ethnicity(
    "minahasa", 3,
    homes=(("7171", 5),),
    workplaces=(("7171", 5), ("6471", 1), ("3171", 1), ("9171", 1)),
    style=CLAN,
    male=_words("Jefri,Stevi,Frangky,Reinhard,Marthen,Johny,Hendrik,Alfrits,Roy,Gerald,Ricky,Deni,Meidy,Vicky"),
    female=_words("Grace,Stevani,Meyke,Vivi,Olivia,Fenny,Jeane,Christie,Deisy,Rini,Novi,Feibe,Sintia"),
    clans=_words("Wowor,Lumowa,Rumengan,Sumampouw,Pangemanan,Lumintang,Rumondor,Tumbelaka,Kaunang,Mandagi,"
                 "Lengkong,Sondakh,Runtuwene,Tuwaidan,Lumenta,Rondonuwu,Wenas"),
    mothers=_words("Yohana,Neltje,Martha,Helena,Femmy,Anneke,Lientje,Deetje,Wilhelmina"),
    two_part=0.0,
)

BANJAR = Ethnicity(
    "banjar", 2,
    homes=(("6371", 5),),
    workplaces=(("6371", 5), ("6471", 2), ("6472", 2)),
    style=GIVEN,
    male=_words("Muhammad,Ahmad,Rahmadi,Fahrurrazi,Syahrani,Aulia,Rizani,Fauzi,Gusti Rahmat,Hairil,Zainal"),
    female=_words("Siti,Norhayati,Normila,Noorjannah,Rusdiana,Mahdalena,Aida,Rahmah,Norlaila,Fitria"),
    male_second=_words("Arsyad,Rizani,Rahman,Hidayat,Noor,Ansyari,Hairani,Iskandar"),
    female_second=_words("Rahmah,Hidayah,Aulia,Rahmawati,Fitriani,Noor"),
    mothers=_words("Masitah,Norsiah,Jamilah,Hj. Mahmudah,Salmah,Arbayah,Fatimah,Norhasanah"),
)

SASAK = Ethnicity(
    "sasak", 2,
    homes=(("5271", 5),),
    workplaces=(("5271", 5), ("5103", 2), ("5171", 1)),
    style=GIVEN,
    male=_words("Zaini,Hairul,Saprudin,Mahsun,Lukman,Junaidi,Ahmad,Muhammad,Sahnan,Supardi"),
    female=_words("Nurul,Hartini,Ernawati,Sahnun,Rohani,Sukmawati,Hikmah,Raehan,Mariatun"),
    male_second=_words("Hadi,Ardi,Amin,Rizal,Hakim,Wathoni"),
    female_second=_words("Hidayati,Aini,Wahyuni,Fitri,Jannah"),
    mothers=_words("Inaq Sahnah,Mariani,Rahmah,Saenah,Hj. Aminah,Rukiah,Sumiatun"),
    male_titles=("Lalu",),
    female_titles=("Baiq",),
    two_part=0.5,
)

TIMORESE = Ethnicity(
    "ntt", 2,
    homes=(("5371", 5),),
    workplaces=(("5371", 5), ("5103", 1), ("3172", 1)),
    style=CLAN,
    male=_words("Yohanes,Fransiskus,Petrus,Paulus,Agustinus,Yosef,Kornelis,Stefanus,Yulius,Marthinus"),
    female=_words("Maria,Yuliana,Theresia,Veronika,Elisabeth,Margaretha,Yasinta,Serlin,Yuliati"),
    clans=_words("Manafe,Nenobais,Fanggidae,Bessie,Lerik,Tefa,Kase,Lake,Mone,Bria,Ndun,Lay,Ratu,Tallo"),
    mothers=_words("Martha,Ester,Yakomina,Adriana,Magdalena,Naomi,Agustina"),
    two_part=0.0,
)

PAPUAN = Ethnicity(
    "papua", 1,
    homes=(("9171", 5),),
    workplaces=(("9171", 5),),
    style=CLAN,
    male=_words("Yance,Marthen,Yosias,Otto,Nelson,Frans,Benny,Yulianus,Elias,Yakob"),
    female=_words("Yohana,Maria,Ester,Selvi,Agustina,Naomi,Rosa,Martha,Yuliana"),
    clans=_words("Wenda,Kogoya,Wanimbo,Rumbiak,Mandowen,Rumbewas,Yoku,Ohee,Mebri,Itaar,Sanggenafa,Wonda"),
    mothers=_words("Yohana,Ester,Dorkas,Lea,Rebeka,Sarah,Ruth"),
    two_part=0.0,
)

ETHNICITIES: tuple[Ethnicity, ...] = (
    JAVANESE, SUNDANESE, BATAK, MINANG, BUGIS, CHINESE_INDONESIAN, BALINESE_GROUP, ACEHNESE, BETAWI,
    MINAHASA, BANJAR, SASAK, TIMORESE, PAPUAN,
)

# Given names that are rarely a whole name on their own (Sri Wahyuni, Neng Yuliani, Muhammad Rizky).
_NEEDS_SECOND = frozenset(["Sri", "Dwi", "Tri", "Eka", "Nur", "Siti", "Neng", "Eneng", "Ai", "Muhammad",
                           "Ahmad", "Abdul", "Nurul"])
_BIRTH_ORDER = ("Wayan", "Putu", "Gede", "Made", "Kadek", "Nyoman", "Komang", "Ketut")
_BIRTH_ORDER_FEMALE = ("Wayan", "Putu", "Made", "Kadek", "Nyoman", "Komang", "Ketut", "Luh Putu", "Luh Made")


def ethnicity_pick(rng: random.Random) -> Ethnicity:
    return rng.choices(ETHNICITIES, weights=[e.weight for e in ETHNICITIES])[0]


def weighted_pick(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def person_name(rng: random.Random, group: Ethnicity, sex: str) -> tuple[str, str]:
    """(full name, clan or '') for a person of `group`; the clan lets the mother's differ."""
    female = sex == "F"
    if group.style == BALINESE:
        orders = _BIRTH_ORDER_FEMALE if female else _BIRTH_ORDER
        prefix = "Ni" if female else "I"
        return f"{prefix} {rng.choice(orders)} {rng.choice(group.female if female else group.male)}", ""
    if group.style == CLAN:
        return _clan_name(rng, group, female)
    if group.style == CHINESE:
        return _chinese_name(rng, group, female)
    given = rng.choice(group.female if female else group.male)
    seconds = group.female_second if female else group.male_second
    if seconds and (given in _NEEDS_SECOND or rng.random() < group.two_part):
        second = rng.choice(seconds)
        if second not in given:
            given = f"{given} {second}"
    titles = group.female_titles if female else group.male_titles
    if titles and rng.random() < 0.2 and not given.startswith(titles):
        given = f"{rng.choice(titles)} {given}"
    return given, ""


def _clan_name(rng: random.Random, group: Ethnicity, female: bool) -> tuple[str, str]:
    clan = rng.choice(group.clans)
    given = rng.choice(group.female if female else group.male)
    if not female and group.male_second and rng.random() < group.two_part:
        given = f"{given} {rng.choice(group.male_second)}"
    # Batak women often write boru (Br) before the marga.
    if female and group is BATAK and rng.random() < 0.5:
        return f"{given} Br {clan}", clan
    return f"{given} {clan}", clan


def _chinese_name(rng: random.Random, group: Ethnicity, female: bool) -> tuple[str, str]:
    if rng.random() < 0.15:
        syllables = group.female_second if female else group.male_second
        family = rng.choice(group.mothers)
        first, second = rng.sample(syllables, 2)
        return f"{family} {first} {second}", family
    clan = rng.choice(group.clans)
    return f"{rng.choice(group.female if female else group.male)} {clan}", clan


def mother_name(rng: random.Random, group: Ethnicity, clan: str) -> str:
    """The mother's maiden name: her generation's names, and never the father's clan."""
    if group.style == BALINESE:
        return f"Ni {rng.choice(_BIRTH_ORDER)} {rng.choice(group.mothers)}"
    if group.style == CLAN:
        other = rng.choice([c for c in group.clans if c != clan])
        joiner = " Br " if group is BATAK else " "
        return f"{rng.choice(group.mothers)}{joiner}{other}"
    if group.style == CHINESE:
        if rng.random() < 0.7:
            family = rng.choice([f for f in group.mothers if f != clan])
            first, second = rng.sample(group.female_second, 2)
            return f"{family} {first} {second}"
        return f"{rng.choice(group.female)} {rng.choice([c for c in group.clans if c != clan])}"
    return rng.choice(group.mothers)
