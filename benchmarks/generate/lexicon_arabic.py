"""Name units of the Arabic-script populations, written once in a phonemic spelling.

Each unit is `phonemic | native script`. The phonemic spelling follows ALA-LC romanisation
(ḥ ṣ ḍ ṭ ẓ, ʿ for ʿayn, ʾ for hamza, ā ī ū for long vowels, kh sh th dh gh) because it keeps
every distinction an officer's habit may collapse or spell differently; `habits_latin` turns
it into what an English, French, German, Polish, Turkish, passport, Somali or scholarly writer
produces. `+` marks the joint of a compound (ʿAbd al-, -ullāh) that writers join or split;
a leading `al-` is an article that comes and goes.

How common each unit is comes from the attested counts in the `arabic-name-romanizer` data
(see `sources.py`); the lists here only choose which names exist and their sex.
"""

# Arabic given names (Levant, Iraq, Libya, Sudan).
ARABIC_MALE = """
muḥammad|محمد aḥmad|احمد ʿalī|علي ḥusayn|حسين ḥasan|حسن ʿabd+allāh|عبد الله maḥmūd|محمود
ibrāhīm|ابراهيم khālid|خالد saʿīd|سعيد muṣṭafā|مصطفى yūsuf|يوسف ʿumar|عمر ʿabbās|عباس
ṣāliḥ|صالح nāṣir|ناصر ismāʿīl|اسماعيل ʿabd+al-ʿazīz|عبد العزيز jamāl|جمال ʿādil|عادل
ḥamīd|حميد amīn|امين ṭāriq|طارق ʿabd+al-raḥmān|عبد الرحمن rashīd|رشيد kamāl|كمال karīm|كريم
salīm|سليم manṣūr|منصور samīr|سمير khalīl|خليل walīd|وليد hishām|هشام fayṣal|فيصل
ʿuthmān|عثمان bakr|بكر ziyād|زياد majīd|مجيد qāsim|قاسم jāsim|جاسم ḥāmid|حامد fāḍil|فاضل
ʿabd+al-karīm|عبد الكريم ʿabd+al-qādir|عبد القادر ʿabd+al-salām|عبد السلام ʿabd+al-nāṣir|عبد الناصر
ʿabd+al-raḥīm|عبد الرحيم ʿabd+al-majīd|عبد المجيد ʿabd+al-ḥamīd|عبد الحميد ʿabd+al-laṭīf|عبد اللطيف
ʿabd+al-wahhāb|عبد الوهاب ʿabd+al-jabbār|عبد الجبار ʿabd+al-ḥakīm|عبد الحكيم ʿabd+al-ghanī|عبد الغني
yāsir|ياسر anas|انس bilāl|بلال ḥamza|حمزة muʿādh|معاذ ayman|ايمن ʿimād|عماد ḥusām|حسام
ghassān|غسان māhir|ماهر nabīl|نبيل rāmī|رامي sāmī|سامي fawwāz|فواز ḥaydar|حيدر muhannad|مهند
muntaẓar|منتظر mujtabā|مجتبى mahdī|مهدي sajjād|سجاد ʿaqīl|عقيل qays|قيس ṣabāḥ|صباح
ʿiṣām|عصام ʿammār|عمار yaʿqūb|يعقوب mūsā|موسى ʿīsā|عيسى sulaymān|سليمان dāwūd|داود
idrīs|ادريس ʿawaḍ|عوض adam|ادم ḥāfiẓ|حافظ badr|بدر ṭāhā|طه zakariyyā|زكريا
khalīfa|خليفة ʿabd+al-muṭṭalib|عبد المطلب shaʿbān|شعبان ramaḍān|رمضان najīb|نجيب fatḥī|فتحي
ʿaṭiyya|عطية mabrūk|مبروك faraj|فرج miftāḥ|مفتاح ʿāṭif|عاطف hāshim|هاشم jaʿfar|جعفر
munīr|منير nizār|نزار marwān|مروان ghiyāth|غياث laith|ليث haytham|هيثم wāʾil|وائل riyāḍ|رياض
"""

ARABIC_FEMALE = """
fāṭima|فاطمة maryam|مريم zaynab|زينب ʿāʾisha|عائشة khadīja|خديجة āmina|امنة nūr|نور
hudā|هدى salmā|سلمى layla|ليلى rana|رنا rīm|ريم sāra|سارة hind|هند ḥanān|حنان suʿād|سعاد
samīra|سميرة nādiya|نادية lamyāʾ|لمياء ruqayya|رقية asmāʾ|اسماء iman|ايمان ḥalīma|حليمة
najlāʾ|نجلاء wafāʾ|وفاء amal|امل rashā|رشا dunyā|دنيا ghāda|غادة ʿabīr|عبير manāl|منال
yāsmīn|ياسمين raghad|رغد shayma|شيماء hāla|هالة nawāl|نوال zahra|زهرة ṣafiyya|صفية
ʿazīza|عزيزة khawla|خولة bushrā|بشرى ḥawwāʾ|حواء sumayya|سمية jamīla|جميلة laṭīfa|لطيفة
rabāb|رباب majida|ماجدة ibtisām|ابتسام nisrīn|نسرين fadwā|فدوى
"""

# Family and tribal names held by Arabic-speaking families (an `al-` may be dropped).
ARABIC_FAMILY = """
al-shammarī|الشمري al-dulaymī|الدليمي al-jubūrī|الجبوري al-ʿubaydī|العبيدي al-tamīmī|التميمي
al-ḥalabī|الحلبي al-ḥumṣī|الحمصي al-khaṭīb|الخطيب al-najjār|النجار al-ḥaddād|الحداد
al-ḥusaynī|الحسيني al-zubaydī|الزبيدي al-saʿdī|السعدي al-ʿānī|العاني al-rāwī|الراوي
al-kurdī|الكردي al-maṣrī|المصري al-shāmī|الشامي al-baghdādī|البغدادي al-mawṣilī|الموصلي
al-ḥāmid|الحامد al-ʿalī|العلي al-aḥmad|الاحمد al-ḥasan|الحسن al-ibrāhīm|الابراهيم
al-maghribī|المغربي al-sharīf|الشريف al-qaddāfī|القذافي al-warfallī|الورفلي al-zintānī|الزنتاني
al-misrātī|المصراتي al-ṭarābulsī|الطرابلسي al-barghathī|البرغثي
al-sūdānī|السوداني al-mahdī|المهدي al-faqīh|الفقيه al-bashīr|البشير al-nūr|النور
qabbānī|قباني ḥaddād|حداد khūrī|خوري ṣabbāgh|صباغ darwīsh|درويش ʿaṭṭār|عطار
ʿuthmān|عثمان yūnus|يونس saʿd|سعد manṣūr|منصور ḥijāzī|حجازي barakāt|بركات
ʿabd+al-laṭīf|عبد اللطيف ʿabd+al-raḥmān|عبد الرحمن abū+zayd|ابو زيد abū+bakr|ابو بكر
"""

# Afghan (Dari/Pashto) given names: Persian vowels (o, e), -ullāh compounds, two-part names.
AFGHAN_MALE = """
muḥammad|محمد aḥmad|احمد ʿalī|علي gul|گل ʿabd+allāh|عبدالله raḥmat+ullāh|رحمت الله
ḥabīb+ullāh|حبیب الله ʿinayat+ullāh|عنایت الله naṣr+ullāh|نصرالله ḥamd+ullāh|حمدالله
zabīḥ+ullāh|ذبیح الله samīʿ+ullāh|سمیع الله ʿaṭāʾ+ullāh|عطاالله najīb+ullāh|نجیب الله
asad+ullāh|اسدالله ʿabd+al-ghanī|عبدالغنی ʿabd+al-qādir|عبدالقادر ʿabd+al-wāḥid|عبدالواحد
ʿabd+al-raḥīm|عبدالرحیم ʿabd+al-ḥakīm|عبدالحکیم nūr|نور shāh|شاه jān|جان khān|خان
wālī|ولی nabī|نبی karīm|کریم ḥamīd|حمید farīd|فرید jāwed|جاوید khālid|خالد bashīr|بشیر
naṣīr|نصیر qadīr|قدیر maḥmūd|محمود esmāʿīl|اسماعیل hedāyat|هدایت shafīq|شفیق rafīʿ|رفیع
ʿazīz|عزیز wāḥid|واحد sayyid|سید ḥājī|حاجی zalmay|زلمی mīrwais|میرویس aḥmad+shāh|احمدشاه
ḥekmat|حکمت nawīd|نوید omīd|امید sohrāb|سهراب farhād|فرهاد
"""

AFGHAN_FEMALE = """
fāṭima|فاطمه zahrā|زهرا maryam|مریم gulālay|گلالی malālay|ملالی nāzanīn|نازنین
shakīla|شکیله ḥamīda|حمیده farzāna|فرزانه ṭāhera|طاهره zarghuna|زرغونه parwāna|پروانه
laylā|لیلا nargis|نرگس shabnam|شبنم rukhsāna|رخسانه sorayā|ثریا marzīa|مرضیه
gul+bībī|گل بی بی bībī|بی بی ẓarīfa|ظریفه
"""

# Afghan family and tribal names (often absent: many Afghans have one name).
AFGHAN_FAMILY = """
aḥmadzay|احمدزی popalzay|پوپلزی bārakzay|بارکزی yūsufzay|یوسفزی nūrzay|نورزی
ghilzay|غلزی sāfī|صافی mohmand|مهمند shinwārī|شینواری stānikzay|ستانکزی ḥaqqānī|حقانی
karīmī|کریمی ḥusaynī|حسینی raḥīmī|رحیمی ʿazīzī|عزیزی sulṭānī|سلطانی naẓarī|نظری
amīrī|امیری jaʿfarī|جعفری qāderī|قادری wardak|وردک hazāra|هزاره
"""

# Somali names: written phonemically so that the Somali habit yields Somali orthography
# (ḥ → x, ʿ → c, ā → aa, ḍ → dh) and the others the usual Latin spellings.
SOMALI_MALE = """
maḥamed|محمد ʿabdi|عبدي aḥmed|احمد ʿali|علي ḥasan|حسن ḥusayn|حسين ʿumar|عمر yūsuf|يوسف
ismāʿīl|اسماعيل ādan|آدم nūr|نور jāmaʿ|جامع warsame|ورسمي gūlēd|غوليد duʿāle|دعالي
ʿawil|عول farāḥ|فارح ʿabdi+raḥmān|عبد الرحمن ʿabdi+qādir|عبد القادر ʿabdullāhi|عبد الله
ʿabdi+raḥīm|عبد الرحيم ʿabdi+wali|عبد الولي ibrāhīm|ابراهيم mūse|موسى ʿīse|عيسى
sharmārke|شرماركي ʿilmi|علمي dīriye|ديريه samatar|سمتر bāre|باري ʿigāl|عيغال rōble|روبلي
mukhtār|مختار khālid|خالد saʿīd|سعيد siyād|سياد shirwaʿ|شيرواع ḥirsi|حرسي gūre|غوري
ʿosmān|عثمان dāhir|ظاهر abūkar|ابوبكر sharīf|شريف bile|بيلي yāsīn|ياسين
"""

SOMALI_FEMALE = """
fāḍumo|فاطمة maryan|مريم ḥalīmo|حليمة ʿāsha|عائشة khadīja|خديجة amīna|امينة sahro|زهرة
ḥodan|هودن ayān|ايان ḥibo|هبة nimʿo|نعمة ifrāḥ|افراح ḥawo|حواء suʿād|سعاد
ʿasho|عاشو fardowsa|فردوسا ubaḥ|ابح ilḥān|الهان ḥamdi|حمدي
"""
