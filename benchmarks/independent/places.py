"""Places: towns of birth per country, places last seen, where found people are held.

A town is (Latin variants, then its form in the country's own script; for Ukraine and Russia
its Ukrainian and Russian Cyrillic forms). The first Latin variant is the usual exonym and is
drawn most often; '_' stands for a space within a name. Records that are written in a script
use the script form, so a birth place can disagree in spelling and in script between two
records of one person, as it does in real tracing files.
"""

# country: [(Latin variants, Arabic/Persian/Ge'ez form) or (Latin variants, Ukrainian, Russian)]
PLACES = {
    "SYR": [("Aleppo Halab Alep Haleb Alepo", "حلب"), ("Damascus Dimashq Damas Damaskus Damasco", "دمشق"),
            ("Homs Hims Hums", "حمص"), ("Hama Hamah Hamā", "حماة"), ("Idlib Idleb", "إدلب"),
            ("Raqqa Al-Raqqah Rakka Raqqah", "الرقة"), ("Deir_ez-Zor Deir_al-Zour Dair_Alzour Deir_Ezzor", "دير الزور"),
            ("Daraa Deraa Dar'a Deraa", "درعا"), ("Latakia Lattakia Al-Ladhiqiyah Lattaquié", "اللاذقية"),
            ("Qamishli Kamishli Al-Qamishli Qamişlo", "القامشلي"), ("Kobani Ain_al-Arab Kobanê", "عين العرب"),
            ("Douma Duma", "دوما"), ("Manbij Menbij Minbic", "منبج")],
    "IRQ": [("Baghdad Bagdad Bağdat", "بغداد"), ("Mosul Mossul Al-Mawsil Musul", "الموصل"),
            ("Basra Basrah Bassora", "البصرة"), ("Kirkuk Kerkuk", "كركوك"), ("Erbil Arbil Hawler", "أربيل"),
            ("Fallujah Falluja Faludscha", "الفلوجة"), ("Ramadi Al-Ramadi", "الرمادي"), ("Tikrit Takrit", "تكريت"),
            ("Sinjar Shingal Sindschar", "سنجار"), ("Najaf An-Najaf Nadschaf", "النجف"), ("Diyala Baqubah Baquba", "بعقوبة")],
    "SDN": [("Khartoum Khartum Al-Khartum Chartum", "الخرطوم"), ("Omdurman Umm_Durman", "أم درمان"),
            ("Nyala Niyala", "نيالا"), ("El_Fasher Al-Fashir El-Facher Al_Fasher", "الفاشر"),
            ("Geneina El_Geneina Al-Junaynah", "الجنينة"), ("Kassala Kasala", "كسلا"),
            ("Port_Sudan Bur_Sudan", "بورتسودان"), ("Wad_Madani Wad_Medani", "ود مدني"), ("Kadugli Kaduqli", "كادقلي")],
    "LBY": [("Tripoli Tarabulus Tripolis Trablus", "طرابلس"), ("Benghazi Bengasi Banghazi", "بنغازي"),
            ("Misrata Misurata Misratah", "مصراتة"), ("Sabha Sebha", "سبها"), ("Zawiya Az-Zawiyah Zawia", "الزاوية"),
            ("Derna Darnah", "درنة"), ("Sirte Surt Sirt", "سرت"), ("Bani_Walid Beni_Walid", "بني وليد")],
    "SOM": [("Mogadishu Muqdisho Mogadiscio Mogadisho Mogadischu", "مقديشو"), ("Kismayo Kismaayo Chisimaio Kismayu", "كيسمايو"),
            ("Baidoa Baydhabo", "بيدوا"), ("Hargeisa Hargeysa Hargheisa", "هرجيسا"),
            ("Beledweyne Beledweyn Belet_Weyne Baladweyne", "بلدوين"), ("Galkayo Gaalkacyo Galcaio", "جالكعيو"),
            ("Bosaso Boosaaso", "بوصاصو"), ("Burao Burco", "برعو"), ("Merca Marka Merka", "مركا"), ("Afgooye Afgoye", "أفجوي")],
    "AFG": [("Kabul Kabol Kaboul", "کابل"), ("Kandahar Qandahar Kandahār", "قندهار"), ("Herat Herāt Harat", "هرات"),
            ("Mazar-i-Sharif Mazar-e_Sharif Mazare_Sharif", "مزار شریف"), ("Jalalabad Dschalalabad Jalal_Abad", "جلال آباد"),
            ("Kunduz Qunduz Konduz", "کندز"), ("Ghazni Ghazna", "غزنی"), ("Baghlan Baġlān Baglan", "بغلان"),
            ("Lashkar_Gah Lashkargah Laschkar_Gah", "لشکرگاه"), ("Khost Khowst Chost", "خوست"), ("Maidan_Wardak Wardak", "وردک")],
    "ERI": [("Asmara Asmera Asmarà", "ኣስመራ"), ("Keren Cheren", "ከረን"), ("Massawa Mitsiwa Massaua", "ምጽዋዕ"),
            ("Mendefera Adi_Ugri", "መንደፈራ"), ("Dekemhare Decamere", "ደቀምሓረ"), ("Barentu", "ባረንቱ"),
            ("Adi_Keyh Adi_Keih Adi_Qeyh", "ዓዲ ቐይሕ"), ("Assab Aseb", "ዓሰብ"), ("Tesseney Teseney Tessenei", "ተሰነይ")],
    "ETH": [("Addis_Ababa Addis_Abeba Adis_Abeba Addis", "አዲስ አበባ"), ("Mekelle Mekele Makalle Mek'ele", "መቐለ"),
            ("Gondar Gonder", "ጎንደር"), ("Dessie Dese", "ደሴ"), ("Bahir_Dar Bahar_Dar", "ባሕር ዳር"), ("Jimma Jima", "ጅማ"),
            ("Adigrat Adigrat'", "ዓዲግራት"), ("Shire Inda_Selassie", "ሽሬ"), ("Humera", "ሑመራ"), ("Dire_Dawa Diredawa", "ድሬ ዳዋ")],
    "UKR": [("Kharkiv Kharkov Charkiw Charkow Kharkiv", "Харків", "Харьков"), ("Kyiv Kiev Kiew Kijów Kyjiw", "Київ", "Киев"),
            ("Mariupol Mariupol' Marioupol", "Маріуполь", "Мариуполь"), ("Odesa Odessa Odesa", "Одеса", "Одесса"),
            ("Zaporizhzhia Zaporozhye Saporischschja Zaporoże", "Запоріжжя", "Запорожье"),
            ("Dnipro Dnepr Dnipropetrovsk", "Дніпро", "Днепр"), ("Kherson Cherson", "Херсон", "Херсон"),
            ("Mykolaiv Nikolaev Mykolajiw Mikołajów", "Миколаїв", "Николаев"), ("Lviv Lvov Lwów Lemberg", "Львів", "Львов"),
            ("Chernihiv Chernigov Tschernihiw", "Чернігів", "Чернигов"), ("Donetsk Donezk Donieck", "Донецьк", "Донецк"),
            ("Luhansk Lugansk Ługańsk", "Луганськ", "Луганск"), ("Bakhmut Artemivsk Bachmut", "Бахмут", "Бахмут"),
            ("Sumy Sumi", "Суми", "Сумы"), ("Poltava Połtawa", "Полтава", "Полтава")],
    "RUS": [("Moscow Moskva Moskau Moscou", "Москва", "Москва"), ("Saint_Petersburg Sankt-Peterburg St._Petersburg", "Санкт-Петербург", "Санкт-Петербург"),
            ("Rostov-on-Don Rostov-na-Donu Rostow", "Ростов-на-Дону", "Ростов-на-Дону"), ("Belgorod Bilhorod", "Бєлгород", "Белгород"),
            ("Kursk", "Курськ", "Курск"), ("Voronezh Woronesch", "Воронеж", "Воронеж"), ("Krasnodar", "Краснодар", "Краснодар"),
            ("Novosibirsk Nowosibirsk", "Новосибірськ", "Новосибирск"), ("Yekaterinburg Ekaterinburg Jekaterinburg", "Єкатеринбург", "Екатеринбург"),
            ("Kazan Kasan", "Казань", "Казань"), ("Bryansk Briansk", "Брянськ", "Брянск"), ("Ufa", "Уфа", "Уфа"),
            ("Chelyabinsk Tscheljabinsk", "Челябінськ", "Челябинск"), ("Pskov Pskow", "Псков", "Псков")],
}

# where an enquirer last saw the person: migration routes, or the front for the war in Ukraine
TRANSIT = {
    "mig": ["Tripoli", "Sabha", "Bani Walid", "Zuwara", "Mediterranean Sea", "Lampedusa", "Izmir",
            "Istanbul", "Lesbos", "Samos", "Evros", "Agadez", "Khartoum", "Kassala", "Aden",
            "Van", "Calais", "Bihać", "Belarus-Poland border", "Bosaso", "Obock", "Ventimiglia"],
    "war": ["Mariupol", "Bakhmut", "Avdiivka", "Kherson region", "Izium", "Sievierodonetsk",
            "Vuhledar", "Zaporizhzhia front", "Kupiansk", "Marinka", "Kursk region", "Robotyne"],
}

# where a found person is, by status; {c} is the society's city, {n} a number
LOCATIONS = {
    "detained": ["Detention centre Tarik al-Sikka", "Ain Zara detention", "Prison {c}", "Camp {c}",
                 "Place of internment {n}", "Penal colony {n}", "Holding facility {c}"],
    "hospitalised": ["General hospital {c}", "Hospital {c}", "Clinic {c}", "Military hospital {n}"],
    "alive": ["Reception centre {c}", "Camp {c}", "Shelter {c}", "Hotspot {c}", "Private address", "{c}"],
    "deceased": ["Morgue {c}", "Cemetery {c}", "Recovered at sea", "Forensic institute {c}"],
    "unknown": ["{c}"],
}
