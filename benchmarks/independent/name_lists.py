"""Name lists per population, most common first (a pool's weight falls with rank).

Arabic, Somali and Afghan names are kept in a small phonemic notation rather than in any one
spelling, so that every record can spell them afresh in its own habit (notation.py says what
the letters mean); '_' joins the words of one name. Somali and Habesha entries may carry a
second form after '/' (Somali orthography / the international Arabic form). East Slavic names
are Cyrillic, Ukrainian form / Russian form where they differ. The lists, including their
oddities (a few entries repeated with a trailing '_'), are what the published independent sets
were drawn from: changing any entry or its place changes the data.
"""

ARAB_MALE = """muHammad aHmad calI maHmUd Hasan Husayn khAlid cumar ibrAhIm yUsuf muSTafA
cabd_al-raHmAn cabdullAh cabd_al-karIm samIr walId sacId cabd_al-qAdir jamAl khalIl ziyAd salIm
bashIr fAdI rAmI bAsil nabIl cAdil cimAd Hamza bilAl anas usAma mAzin tAriq sulaymAn ismAcIl
yacqUb ayman nASir munIr riyAD faysal hishAm rashId mAjid HAmid qAsim jacfar cabbAs Haydar karIm
mahdI murtaDA sajjAd mucAdh cuthmAn jalAl fu'Ad sharIf yAsir yAsIn cAmir marwAn HusAm raDwAn
ghassAn wA'il nizAr suhayl fAris Adam yaHyA cIsA mUsA idrIs najIb ramaDAn SalAH nUr_al-dIn
cizz_al-dIn cabd_al-cazIz cabd_al-laTIf cabd_al-salAm cabd_al-nASir cabd_al-HamId cabd_al-majId
muHsin ascad shAdI kinAn camr Hakam ghAzI jawAd layth muntaSir Safwan zuhayr sAlim sAliH
muctaz naSr ayyUb mutlaq dhiyAb mubArak bAbikir al-Tayyib al-SAdiq abakar is|HAq bushrA
cawaD Siddiq al-amIn al-hAdI cabd_al-bAsiT mukhtAr masUd ramzI""".split()

ARAB_BOOST = {
    "Iraqi": "calI Husayn Hasan muHammad aHmad cabbAs Haydar mahdI murtaDA sajjAd jacfar muSTafA "
             "cumar karIm qAsim".split(),
    "Sudanese": "muHammad aHmad cuthmAn al-Tayyib calI Adam bAbikir cabdullAh yUsuf ibrAhIm "
                "al-SAdiq mUsA cabd_al-raHmAn is|HAq al-amIn Siddiq abakar yaHyA".split(),
    "Libyan": "muHammad aHmad calI cabd_al-salAm khAlid SalAH mucAdh cumar cabd_al-raHmAn masUd "
              "mukhtAr al-hAdI faraj".split(),
    "Syrian": "muHammad aHmad maHmUd khAlid calI muSTafA cumar Hasan cabd_al-raHmAn ibrAhIm "
              "yUsuf samIr".split(),
}

ARAB_FEMALE = """fATima maryam zaynab cA'isha khadIja nUr hiba rIm sArA layla amIna salmA hudA ranA
rasha ruqayya asmA' ghAda manAl samar suhA nadA wafA' dalAl lInA dImA rAniya hanAn ImAn
alA' shaymA' nisrIn yAsmIn rubA hadIl jamIla kawthar zahrA' sukayna amal najlA' samIra nawAl
sucAd fAyza bushrA Hanan_ghAda mayy majd ruwayda cabIr sawsan lubnA nAdiya iklAs""".split()

SYR_FAMILY = """al-aHmad al-calI al-Hasan al-Husayn al-khalIl al-HalabI al-HimSI al-Hamawi al-shAmI
al-maSrI HaddAd najjAr khUrI al-kurdI qAsim HamdAn SabbAgh darwIsh cuthmAn SAliH HammUd ibrAhIm
ismAcIl muSTafA al-shaykh al-zayn al-cumar al-khaTIb al-Hamad al-sayyid al-jAsim al-abrash
al-ascad qabbAnI al-HakIm al-rifAcI al-idlibI al-dimashqI al-HuSrI al-Tabbakh jabbUr al-cabdullAh
al-muHammad al-maHmUd al-yUsuf al-nAcIsa al-Salibi baydUn al-sharca al-zucbI al-qAdirI
al-ghazAlI HijAzI al-bakrI manSUr al-turk al-naHhAs barakAt""".split()

IRQ_FAMILY = """al-jubUrI al-dulaymI al-tamImI al-shammarI al-cubaydI al-zubaydI al-khafAjI
al-rubaycI al-sacdI al-cazzAwI al-janAbI al-mAlikI al-kacbI al-hAshimI al-bayAtI al-cAnI
al-HamdAnI al-mUsawI al-HusaynI al-lAmI al-sAmarrA'I al-takrItI al-karbalA'I al-baghdAdI
al-mawSilI al-cAmirI al-kubaysI al-juburi_ al-cazzAwI_ al-jAf""".split()

LBY_FAMILY = """al-warfallI al-cubaydI al-maqaryaf bin_calI al-zintAnI al-miSrAtI abU_shaqUr
al-sharIf bin_cumrAn al-mabrUk al-TarAbulsI al-sanUsI al-HAsI al-suwayHlI al-gharyAnI al-mahdI
al-barcaSI al-fItUrI al-zAwI al-kIkhyA bin_Hamad al-qadhdhAfI al-naqIb al-majbarI al-burcUSI
al-shalwI al-bUsayfI""".split()

# Somali: (Somali-orthography phonemic, international/Arabic phonemic)
SOM_MALE = [x.split("/") for x in """maHamed/muHammad aHmed/aHmad cabdi cali/calI Hasan cumar
ibrAhim/ibrAhIm yUsuf maHamUd/maHmUd cabdullAhi/cabdullAh Husen/Husayn ismAcIl fAraH/faraH
jAmac/jAmic cusmAn/cuthmAn nUr Adan/Adam cilmi/cilmI warsame gUlEd dAhir/DAhir
cabdiraHmAn/cabd_al-raHmAn cabdicasIs/cabd_al-cazIz cabdiqAdir/cabd_al-qAdir
cabdikarIm/cabd_al-karIm cabdiqani mahad sacId bashIr Hirsi dUcAle cuways burhAn shIre samatar
mUse/mUsA yAsIn siyAd khalIf mukhtAr abshir bile jibrIl HamsE/Hamza hArUn SAlaH/SAliH
cabdinAsir faysal caydId cartan gEdi barre cigAl qAsim/qAsim nUH yacqUb idiris mahdi
cabdiwali sharIf hAshi axmed_nUr sahal liibaan/lIbAn kaHin jAmac_cali daahir""".split()]

SOM_FEMALE = [x.split("/") for x in """fAdumo/fATima HAwo/HawwA' cAsha/cA'isha maryan/maryam hodan
sahro/sahra khadra ayAn hibo HalImo/HalIma dEqa nimco/nicma ubaH sagal fardowsa amIna safiya
istar lUl shukri mUna idil sucAd hamdi filsan ifraH ikrAn nastEHo zamzam raHmo/raHma
khadIjo/khadIja najmo/najma hinda sacdiyo/sacdiya lAdan yAsmIn asli ubax_ Halwo samsam""".split()]

AFG_MALE = """muHammad cabd_al-raHIm aHmad gul khAn cabd_al-wAHid nUr_muHammad cabd_al-qAdir
ghulAm_sakhI zabIH-ullAh raHmat-ullAh Hikmat-ullAh naqIb-ullAh najIb-ullAh aHmad_shAh cabd_al-ghafUr
sayyid sulTAn HabIb jawAd farId najIb walI jAwId HAmid rashId maHmUd calI Husayn mursal bilAl
ismAcIl yUsuf idrIs bashIr naSIr mIrways waHId khalIl kabIr zalmay shafIq asad-ullAh zakariyA
sayf-ullAh qudrat-ullAh fayD dAwUd suhrAb jamshId farhAd raHIm karIm nasIm ghulAm_rasUl
ghulAm_Haydar jAn_muHammad gul_aHmad khAn_muHammad amIn umId cabd_al-Haq cabd_al-bAsir
shams-ullAh imAn_gul faraydUn Hayat-ullAh khAn_aghA ajmal nAdir mujIb wazIr fawAd""".split()

AFG_FEMALE = """fATima zahrA maryam shabnam nasrIn parwAna nazanIn firishta malAlay royA sImA
zarghUna gulAlay laylA HakIma maSUma khadIja zaynab HamIda rAbica nargis sharIfa nAdiya firUza
shakIla farzAna gulnAz sAjida bIbI_gul mInA Tahmina sughrA mahbUba nIlOfar""".split()

AFG_FAMILY = """aHmadzay pUpalzay muHammadI raHImI HakImI sulTAnI karImI nUrI SAfI stAnikzay
wardak nUristAnI sAdAt niyAzI amInI yUsufzay jalAlI ghaznawI harawI kAbulI sharIfI Haydari
ahmadi_ qarIzAda mangal khUgyAnI""".split()

# Habesha phonemic: e=ä (1st order), @=ə (6th), E=ē (5th), x=ኸ, q=ቀ, H=ሐ, c=ዐ, ts=ጸ, T=ጠ
ERI_MALE = [x.split("/") for x in """tesfay haylE gebre-medHin mehari texle kidane yohann@s
b@rhane b@rhe meb@raHtu tewelde tesfa-maryam g@rmay hagos habte kaHsay asmerom cuqbay filmon
samuEl amanuEl dawit daniEl selomon ab@raham yonas habEn biniyam efrEm natnaEl medHanE zeray
goytom k@b@rom tsegay mesf@n negash yemane isayas cusman idris muHammed cali musE alem semere
tewodros tesfa-alem yosEf erm@yas k@flom robEl hEnok aron mikaEl weldu andom asefaw debesay
gebre-mikaEl gebre-hiwet gebre-yesus texle-haymanot welde-mikaEl haylE-mikaEl texle-maryam
tesfa-mikaEl b@rhane-meskel mulugEta dehab""".split()]

ETH_MALE = [x.split("/") for x in """tesfayE mulugEta calemayehu gEtachew g@rma taddese beqele
abebe kebede calemu asefa werqu desta T@lahun lemma meng@stu ayele f@qru dereje yonas cabdi
haylE gebre-medHin welde-mikaEl gebre-s@llasE haylE-maryam dawit daniEl samuEl yohann@s
solomon ab@raham tadele meseret tamrat yared bereket nahom kidus henok biniyam mikaEl T@lahun_
mohammed/muHammed cali aHmed kedir jemal zeyn@u temesgen eyob sisay habtamu wondwosen
teshome bezabh ashenafi gebre-egziab@her berhanu tefera abera negussie alemseged""".split()]

HAB_FEMALE = [x.split("/") for x in """helen senayt selam tsega saba Hiwet meb@rat meron raHwa
lidya Eden winta yordanos azEb almaz t@g@st mulu genet fEvEn nardos abeba aster m@Hret b@s@rat
f@reweyni luwam rut semhar yodit Hanna elsa tsehay aberash q@d@st betelhEm selamawit fatuma
tsigE tigist_ mebrat_ haregewoyn zewdi leteb@rhan hirut""".split()]

# East Slavic: Ukrainian form / Russian form (Cyrillic)
SLAV_MALE = [x.split("/") for x in """Олександр/Александр Сергій/Сергей Андрій/Андрей
Володимир/Владимир Дмитро/Дмитрий Микола/Николай Іван/Иван Юрій/Юрий Олег/Олег Віктор/Виктор
Василь/Василий Михайло/Михаил Петро/Пётр Ігор/Игорь Олексій/Алексей Максим/Максим Артем/Артём
Денис/Денис Павло/Павел Роман/Роман Євген/Евгений Віталій/Виталий Богдан/Богдан Тарас/Тарас
Ярослав/Ярослав Анатолій/Анатолий Григорій/Григорий Степан/Степан Валерій/Валерий Вадим/Вадим
Руслан/Руслан Костянтин/Константин Станіслав/Станислав Антон/Антон Назар/Назар
Владислав/Владислав Кирило/Кирилл Леонід/Леонид Борис/Борис Геннадій/Геннадий
Валентин/Валентин Федір/Фёдор Тимофій/Тимофей Семен/Семён Ілля/Илья""".split()]

RUS_MALE_ORDER = """Алексей Дмитрий Сергей Андрей Александр Иван Максим Евгений Владимир Михаил
Николай Артём Денис Роман Павел Антон Виктор Игорь Олег Юрий Вадим Константин Кирилл Станислав
Владислав Илья Руслан Василий Пётр Борис Геннадий Валерий Анатолий Григорий Степан Леонид Фёдор
Тимофей Семён Валентин Богдан Ярослав Виталий Тарас Назар""".split()

SLAV_FEMALE = [x.split("/") for x in """Олена/Елена Оксана/Оксана Наталія/Наталья Ірина/Ирина
Тетяна/Татьяна Світлана/Светлана Юлія/Юлия Катерина/Екатерина Анна/Анна Марія/Мария Ольга/Ольга
Людмила/Людмила Галина/Галина Вікторія/Виктория Аліна/Алина Дарія/Дарья Анастасія/Анастасия
Інна/Инна Лариса/Лариса Надія/Надежда Валентина/Валентина Любов/Любовь Віра/Вера Софія/София
Христина/Кристина Яна/Яна Марина/Марина Ганна/Анна Євгенія/Евгения Тамара/Тамара""".split()]

UKR_SURNAMES = [x.split("/") for x in """Шевченко Коваленко Бондаренко Ткаченко Кравченко Бойко
Ковальчук Коваль Олійник/Олейник Шевчук Поліщук/Полищук Мельник Лисенко/Лысенко Марченко Руденко
Савченко Петренко Мороз Кравець/Кравец Павленко Ткачук Кузьменко Пономаренко Клименко Левченко
Савчук Василенко Іваненко/Иваненко Гриценко Жук Харченко Яковенко Гончаренко Сидоренко Гнатюк
Карпенко Литвиненко Мазур Романенко Гуменюк Остапенко Захарченко Тимошенко Кушнір/Кушнир
Юрченко Дорошенко Приходько Гаврилюк Костенко Волошин Левицький/Левицкий Ковальов/Ковалёв
Білоус/Белоус Грищенко Панченко Дяченко/Дьяченко Власенко Головко Нестеренко Онищенко Середа
Кондратюк Стасюк Мартинюк/Мартынюк Гордієнко/Гордиенко Симоненко Кириленко Сологуб Мирошниченко
Черненко Білик/Белик Гуцул Заїка/Заика Федоренко Фесенко Швець/Швец Ярошенко Бабенко Дмитренко
Антоненко Зінченко/Зинченко Козак Лук'яненко/Лукьяненко Поляков Степаненко""".split()]

RUS_SURNAMES = """Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров
Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев
Макаров Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин
Фролов Жуков Белов Тарасов Комаров Медведев Антонов Киселёв Ильин Гусев Титов Баранов Куликов
Карпов Афанасьев Виноградов Богданов Осипов Калинин Дмитриев Абрамов Сорокин Никитин Максимов
Беляев Гаврилов Хабибуллин Галиев Шарипов Бондарев Ковалёв Тихонов Ершов Щербаков Мельников
Быков Чернов Панов Рыбаков Широков Жданов Сафонов Голубев Лазарев Денисов""".split()
