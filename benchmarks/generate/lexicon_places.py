"""Birthplaces and places of separation, per country, written like the names.

Arabic-script places: `phonemic|native|exonyms` (exonyms `;`-separated, e.g. Aleppo for Ḥalab),
rendered through the same habits as names. Cyrillic places: `Ukrainian|Russian` forms, rendered
through the Cyrillic tables. Ethiopian and Eritrean places: one per line, the
Latin spellings seen in practice, the usual one first.
"""

ARABIC_PLACES = {
    "SYR": """
ḥalab|حلب|Aleppo;Alep ḥimṣ|حمص|Homs dimashq|دمشق|Damascus;Damas ḥamāh|حماة|Hama;Hamah
idlib|ادلب| dayr+al-zūr|دير الزور|Deir ez-Zor;Deir ezzor darʿā|درعا|Daraa;Deraa
al-raqqa|الرقة|Raqqa;Rakka al-lādhiqiyya|اللاذقية|Latakia;Lattaquié ṭarṭūs|طرطوس|Tartus
al-ḥasaka|الحسكة|Hasakah al-qāmishlī|القامشلي|Qamishli;Kamishli dūmā|دوما|Douma
""",
    "IRQ": """
baghdād|بغداد|Baghdad;Bagdad al-mawṣil|الموصل|Mosul;Mossoul al-baṣra|البصرة|Basra;Basrah
kirkūk|كركوك|Kirkuk arbīl|اربيل|Erbil;Irbil;Hawler tikrīt|تكريت|Tikrit
al-fallūja|الفلوجة|Fallujah;Falluja al-ramādī|الرمادي|Ramadi al-najaf|النجف|Najaf
karbalāʾ|كربلاء|Karbala sinjār|سنجار|Sinjar;Shingal dahūk|دهوك|Duhok;Dohuk
""",
    "LBY": """
ṭarābulus|طرابلس|Tripoli banghāzī|بنغازي|Benghazi;Bengasi miṣrāta|مصراتة|Misrata;Misurata
sabhā|سبها|Sebha;Sabha al-zāwiya|الزاوية|Zawiya;Zawia darna|درنة|Derna;Darnah
ṭubruq|طبرق|Tobruk surt|سرت|Sirte;Syrte ajdābiyā|اجدابيا|Ajdabiya zuwāra|زوارة|Zuwara
""",
    "SDN": """
al-kharṭūm|الخرطوم|Khartoum umm+durmān|ام درمان|Omdurman al-fāshir|الفاشر|El Fasher
nyālā|نيالا|Nyala kassalā|كسلا|Kassala al-junayna|الجنينة|El Geneina;Geneina
al-ubayyiḍ|الأبيض|El Obeid kādūglī|كادقلي|Kadugli būrtsūdān|بورتسودان|Port Sudan
""",
    "AFG": """
kābul|کابل|Kabul;Caboul harāt|هرات|Herat qandahār|قندهار|Kandahar;Kandahar
mazār+sharīf|مزار شریف|Mazar-i-Sharif;Mazar-e Sharif jalālābād|جلال‌آباد|Jalalabad
qunduz|کندز|Kunduz;Kondoz ghaznī|غزنی|Ghazni khōst|خوست|Khost bāmyān|بامیان|Bamiyan
lashkargāh|لشکرگاه|Lashkar Gah paghmān|پغمان|Paghman
""",
    "SOM": """
muqdisho|مقديشو|Mogadishu;Mogadiscio kismāyo|كسمايو|Kismayo;Chisimaio baydhabo|بيدوا|Baidoa
hargeysa|هرجيسا|Hargeisa;Hargeysa beledweyne|بلدوين|Beledweyne;Belet Weyne
gālkaʿyo|جالكعيو|Galkayo;Gaalkacyo bōsāso|بوصاصو|Bosaso;Bossaso marka|مركا|Merca
afgōye|افجوي|Afgooye;Afgoye garoowe|جاروي|Garowe
""",
}

CYRILLIC_PLACES = {
    "UKR": """
Харків|Харьков Київ|Киев Маріуполь|Мариуполь Херсон|Херсон Миколаїв|Николаев Запоріжжя|Запорожье
Бахмут|Бахмут Донецьк|Донецк Луганськ|Луганск Чернігів|Чернигов Суми|Сумы Ізюм|Изюм
Одеса|Одесса Дніпро|Днепр Буча|Буча Ірпінь|Ирпень Краматорськ|Краматорск Мелітополь|Мелитополь
""",
    "RUS": """
Москва|Москва Ростов-на-Дону|Ростов-на-Дону Воронеж|Воронеж Бєлгород|Белгород Курськ|Курск
Брянськ|Брянск Краснодар|Краснодар Самара|Самара Новосибірськ|Новосибирск Казань|Казань
""",
}

LATIN_PLACES = {
    "ETH": """
Addis Ababa;Addis Abeba;Adis Abeba
Mekelle;Mek'ele;Makale;Mekele
Gondar;Gonder;Gondor
Bahir Dar;Bahirdar;Bahr Dar
Dessie;Dese;Dessye
Adigrat;Addigrat
Axum;Aksum;Aksoum
Jimma;Jima
Harar;Harer
Shire;Inda Selassie;Endasilasie
Humera;Himora
Dire Dawa;Diredawa
Hawassa;Awasa;Awassa
""",
    "ERI": """
Asmara;Asmera;Asmarra
Keren;Kheren;Cheren
Mendefera;Mendefra;Adi Ugri
Massawa;Mitsiwa;Massaua
Dekemhare;Dekamhare
Adi Keyh;Adi Keih;Adi Kaih
Barentu;Barentou
Assab;Aseb
Tesseney;Teseney;Tessenei
Segheneyti;Segeneiti
""",
}

# Where people were last seen on the routes (enquiries' last_seen_place), as officers write them.
ROUTE_PLACES = """
Tripoli;Sabratha;Zuwara;Agadez;Niamey;Khartoum;Kufra;Sebha;Lampedusa;Augusta;Mediterranean Sea;
Aegean Sea;Lesbos;Samos;Izmir;Istanbul;Edirne;Van;Calais;Dunkirk;Ventimiglia;Belgrade;
Bihac;Evros;Melilla;Ceuta;Dakhla;Kabul airport;Torkham;Islam Qala;Mashhad;Tehran;
Bosaso;Aden;Djibouti;Metema;Gedaref;Mai Aini;Shimelba;Kharkiv;Mariupol;Zaporizhzhia;
Kherson;Bakhmut;Izium;Sumy;Chernihiv;Kupiansk;Avdiivka
"""

# Where found people are held or cared for (found records' location): sensitive, synthetic.
LOCATIONS = """
Reception centre {n};Transit camp {n};Detention facility {n};Hospital ward {n};
Shelter {n};Collective centre {n};Prison {n};Camp {n}, block {m};Unaccompanied minors' home {n};
Morgue {n};Hotspot {n};Community housing {n}
"""
