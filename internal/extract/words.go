package extract

// The word tables of the grammar. Keys are lower case; multi-word phrases
// are matched word by word against the words before or after a number.

// Qualifiers, as the exporter's figures spell them.
const (
	qNone     = "none"
	qAbout    = "about"
	qAtLeast  = "at_least"
	qMoreThan = "more_than"
	qAtMost   = "at_most"
	qLessThan = "less_than"
)

// Units other than currencies.
const (
	uCount  = "count"
	uRatio  = "ratio"
	uChange = "change_ratio"
)

// hedgesBefore are the English words that hedge the number they precede,
// longest first so that "no more than" wins over "more than".
var hedgesBefore = []struct {
	words []string
	q     string
}{
	{[]string{"no", "fewer", "than"}, qAtLeast},
	{[]string{"no", "less", "than"}, qAtLeast},
	{[]string{"not", "less", "than"}, qAtLeast},
	{[]string{"no", "more", "than"}, qAtMost},
	{[]string{"not", "more", "than"}, qAtMost},
	{[]string{"a", "minimum", "of"}, qAtLeast},
	{[]string{"a", "maximum", "of"}, qAtMost},
	{[]string{"in", "excess", "of"}, qMoreThan},
	{[]string{"as", "many", "as"}, qAtMost},
	{[]string{"as", "much", "as"}, qAtMost},
	{[]string{"as", "few", "as"}, qAtLeast},
	{[]string{"as", "little", "as"}, qAtLeast},
	{[]string{"just", "over"}, qMoreThan},
	{[]string{"just", "under"}, qLessThan},
	{[]string{"just", "below"}, qLessThan},
	{[]string{"just", "above"}, qMoreThan},
	{[]string{"slightly", "more", "than"}, qMoreThan},
	{[]string{"slightly", "less", "than"}, qLessThan},
	{[]string{"well", "over"}, qMoreThan},
	{[]string{"more", "than"}, qMoreThan},
	{[]string{"greater", "than"}, qMoreThan},
	{[]string{"higher", "than"}, qMoreThan},
	{[]string{"upwards", "of"}, qMoreThan},
	{[]string{"upward", "of"}, qMoreThan},
	{[]string{"north", "of"}, qMoreThan},
	{[]string{"at", "least"}, qAtLeast},
	{[]string{"minimum", "of"}, qAtLeast},
	{[]string{"at", "most"}, qAtMost},
	{[]string{"up", "to"}, qAtMost},
	{[]string{"maximum", "of"}, qAtMost},
	{[]string{"fewer", "than"}, qLessThan},
	{[]string{"less", "than"}, qLessThan},
	{[]string{"lower", "than"}, qLessThan},
	{[]string{"short", "of"}, qLessThan},
	{[]string{"close", "to"}, qAbout},
	{[]string{"in", "the", "region", "of"}, qAbout},
	{[]string{"on", "the", "order", "of"}, qAbout},
	{[]string{"an", "estimated"}, qAbout},
	{[]string{"estimated"}, qAbout},
	{[]string{"about"}, qAbout},
	{[]string{"approximately"}, qAbout},
	{[]string{"approx"}, qAbout},
	{[]string{"around"}, qAbout},
	{[]string{"roughly"}, qAbout},
	{[]string{"some"}, qAbout},
	{[]string{"nearly"}, qAbout},
	{[]string{"almost"}, qAbout},
	{[]string{"circa"}, qAbout},
	{[]string{"approaching"}, qAbout},
	{[]string{"over"}, qMoreThan},
	{[]string{"above"}, qMoreThan},
	{[]string{"exceeding"}, qMoreThan},
	{[]string{"surpassing"}, qMoreThan},
	{[]string{"under"}, qLessThan},
	{[]string{"below"}, qLessThan},
}

// hedgesAfter are English words after a number that hedge it.
var hedgesAfter = []struct {
	words []string
	q     string
}{
	{[]string{"or", "more"}, qAtLeast},
	{[]string{"or", "above"}, qAtLeast},
	{[]string{"or", "over"}, qAtLeast},
	{[]string{"and", "above"}, qAtLeast},
	{[]string{"or", "so"}, qAbout},
	{[]string{"or", "less"}, qAtMost},
	{[]string{"or", "fewer"}, qAtMost},
	{[]string{"and", "counting"}, qAtLeast},
	{[]string{"plus"}, qMoreThan},
	{[]string{"odd"}, qAbout},
}

// Korean hedges: before the number (약 1000건), or after it, glued or not
// (1만여 건, 1000건 이상, 1000건이 넘는).
var koreanHedgesBefore = map[string]string{
	"약": qAbout, "대략": qAbout, "얼추": qAbout, "최소": qAtLeast, "적어도": qAtLeast, "최소한": qAtLeast,
	"최대": qAtMost, "많게는": qAtMost, "최고": qAtMost,
}

// koreanHedgesAfter is matched as a prefix of the Hangul that follows a
// number and its counter, longest first.
var koreanHedgesAfter = []struct {
	prefix string
	q      string
}{
	{"가량", qAbout}, {"정도", qAbout}, {"안팎", qAbout}, {"내외", qAbout}, {"쯤", qAbout}, {"남짓", qMoreThan},
	{"이상", qAtLeast}, {"이하", qAtMost}, {"미만", qLessThan}, {"초과", qMoreThan},
	{"넘는", qMoreThan}, {"넘게", qMoreThan}, {"넘어", qMoreThan}, {"넘은", qMoreThan}, {"넘었", qMoreThan}, {"넘겨", qMoreThan}, {"넘긴", qMoreThan},
	{"육박", qAbout}, {"에 육박", qAbout}, {"에 가까운", qAbout}, {"가까이", qAbout},
	{"여", qMoreThan},
}

// koreanParticles may follow a Korean counter or currency without changing
// what it means (을, 이, 에 달해 ...).
var koreanParticles = []string{
	"에서", "에게", "으로", "이나", "이며", "이고", "이다", "였다", "이었", "까지", "부터", "이라", "라는", "이란", "어치", "규모", "씩",
	"을", "를", "이", "가", "은", "는", "의", "에", "로", "과", "와", "도", "만", "나", "인", "꼴", "대", "당", "째",
}

var scales = map[string]int{
	"hundred": 2, "thousand": 3, "million": 6, "billion": 9, "trillion": 12,
	"mn": 6, "mln": 6, "bn": 9, "bln": 9, "tn": 12, "trn": 12,
}

// glued scale abbreviations that are only a scale after a currency ("$10m";
// "10m" alone is ten metres).
var moneyScales = map[string]int{"m": 6, "b": 9, "k": 3, "mil": 6, "bil": 9}

var smallNumbers = map[string]int{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19,
}

var tens = map[string]int{
	"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

// denominators of fractions: "a third", "two-thirds", "four-fifths".
var denominators = map[string]int{
	"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4,
	"fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8,
	"ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10,
}

// ordinalWords end a number word as an ordinal ("twenty-first").
var ordinalWords = map[string]bool{
	"first": true, "second": true, "third": true, "fourth": true, "fifth": true, "sixth": true, "seventh": true,
	"eighth": true, "ninth": true, "tenth": true, "eleventh": true, "twelfth": true, "last": true, "latter": true,
	"former": true, "next": true, "previous": true,
}

// multipleVerbs change a quantity by a factor: the change ratio is factor-1.
var multipleVerbs = map[string]float64{
	"doubled": 2, "doubling": 2, "tripled": 3, "trebled": 3, "tripling": 3, "quadrupled": 4, "quintupled": 5,
	"halved": 0.5, "halving": 0.5,
}

// multipleWords are multiples before "as" or "the": "twice as many",
// "double the number".
var multipleWords = map[string]float64{"twice": 2, "double": 2, "triple": 3, "treble": 3, "quadruple": 4, "thrice": 3}

// comparatives after "N times" that make it a multiple ("three times more").
var comparatives = map[string]bool{
	"more": true, "higher": true, "larger": true, "greater": true, "bigger": true, "as": true, "the": true,
	"faster": true, "over": true,
}

// changeNouns after a percentage make it a change ("a 15% increase"); the
// value is the sign.
var changeNouns = map[string]float64{
	"increase": 1, "increases": 1, "rise": 1, "jump": 1, "growth": 1, "gain": 1, "surge": 1, "spike": 1, "hike": 1,
	"uptick": 1, "climb": 1, "leap": 1, "more": 1, "higher": 1, "larger": 1, "greater": 1, "bigger": 1, "up": 1,
	"increased": 1, "rose": 1, "grew": 1, "jumped": 1, "surged": 1, "spiked": 1,
	"decline": -1, "decrease": -1, "drop": -1, "fall": -1, "reduction": -1, "cut": -1, "slump": -1, "dip": -1,
	"plunge": -1, "contraction": -1, "less": -1, "fewer": -1, "lower": -1, "smaller": -1, "down": -1,
	"declined": -1, "decreased": -1, "dropped": -1, "fell": -1,
}

// changeVerbs before a percentage ("rose 15%", "increased by 15%", "up 36
// percent", "an increase of 15%").
var changeVerbs = map[string]float64{
	"increase": 1, "increased": 1, "increases": 1, "increasing": 1, "rise": 1, "rose": 1, "risen": 1, "rises": 1,
	"rising": 1, "grew": 1, "grow": 1, "grown": 1, "grows": 1, "growth": 1, "jumped": 1, "jump": 1, "jumps": 1,
	"surged": 1, "surge": 1, "spiked": 1, "spike": 1, "soared": 1, "climbed": 1, "climb": 1, "gained": 1, "gain": 1,
	"expanded": 1, "up": 1, "hike": 1, "leapt": 1, "leaped": 1, "swelled": 1, "boosted": 1, "raised": 1,
	"fell": -1, "fallen": -1, "fall": -1, "falls": -1, "dropped": -1, "drop": -1, "drops": -1, "declined": -1,
	"decline": -1, "declines": -1, "decreased": -1, "decrease": -1, "decreases": -1, "plunged": -1, "plummeted": -1,
	"slid": -1, "shrank": -1, "shrunk": -1, "dipped": -1, "cut": -1, "reduced": -1, "reduction": -1, "down": -1,
	"slumped": -1, "tumbled": -1, "lowered": -1, "contracted": -1,
}

// koreanChange are stems after a percentage or 배 that make it a change.
var koreanChange = []struct {
	prefix string
	sign   float64
}{
	{"증가", 1}, {"늘", 1}, {"상승", 1}, {"급증", 1}, {"확대", 1}, {"성장", 1}, {"뛰", 1}, {"올랐", 1}, {"오른", 1}, {"폭증", 1}, {"급등", 1},
	{"감소", -1}, {"줄", -1}, {"하락", -1}, {"급감", -1}, {"축소", -1}, {"떨어", -1}, {"내려", -1}, {"급락", -1},
}

// currencyPrefixes are the symbols written before an amount; the word glued
// before "$" picks the dollar (US$, HK$, A$ ...).
var currencySymbols = map[string]string{
	"$": "usd", "₩": "krw", "￦": "krw", "€": "eur", "£": "gbp", "¥": "jpy", "￥": "jpy", "₹": "inr", "₽": "rub",
}

var dollarPrefixes = map[string]string{
	"us": "usd", "u.s.": "usd", "hk": "hkd", "a": "aud", "au": "aud", "c": "cad", "ca": "cad", "s": "sgd",
	"nt": "twd", "nz": "nzd", "r": "brl",
}

// currencyCodes are ISO 4217 codes written before or after an amount
// ("USD 1.7 billion", "3.4 billion KRW"); rmb is the renminbi's common name.
var currencyCodes = map[string]string{
	"usd": "usd", "krw": "krw", "eur": "eur", "jpy": "jpy", "cny": "cny", "rmb": "cny", "gbp": "gbp",
	"chf": "chf", "hkd": "hkd", "aud": "aud", "cad": "cad", "sgd": "sgd", "inr": "inr", "rub": "rub", "twd": "twd",
}

// currencyWords follow an amount ("3.4 billion won", "5 million euros").
var currencyWords = map[string]string{
	"won": "krw", "dollar": "usd", "dollars": "usd", "euro": "eur", "euros": "eur", "yen": "jpy", "yuan": "cny",
	"renminbi": "cny", "rupees": "inr", "rubles": "rub", "roubles": "rub",
}

// koreanCurrencies follow a Korean amount (34억 원, 1억 달러).
var koreanCurrencies = []struct {
	prefix, code string
}{
	{"달러", "usd"}, {"유로", "eur"}, {"위안", "cny"}, {"파운드", "gbp"}, {"원", "krw"}, {"엔", "jpy"},
}

// koreanCounters follow a Korean count (1000건, 162만 건, 4명). The ones that
// make the number a date, time, age, rank or ordinal are in koreanNotCounts.
var koreanCounters = []string{
	"개국", "개사", "개월", "개소", "개", "건", "명", "곳", "차례", "번", "회", "대", "종", "가지", "척", "기", "발", "톤", "주", "시간", "점", "배",
	"편", "권", "장", "통", "채", "마리", "가구", "인", "팀", "자리", "군데", "줄", "쌍", "벌", "명분",
	"기가바이트", "기가", "테라바이트", "테라", "메가바이트", "메가", "바이트",
}

// koreanNotCounts follow a number that is not a quantity: dates (2023년,
// 7월, 19일), times (3시, 30분, 10초), ages (45세, 30살), ordinals and ranks
// (8차, 2번째, 1위, 3호, 5층, 1분기), pages and sections (3쪽, 2항, 4절),
// and the periods a figure is counted over (5년간, 1년새, 3개월간).
var koreanNotCounts = []string{
	"번째", "분기", "학년", "월", "일", "시", "분", "초", "세", "살", "차", "위", "호", "층", "쪽", "페이지", "면", "항", "절", "등", "번지", "단계", "인치",
	// years and periods: 2023년, 5년간, 1년새, 3개월간, 10일간, 2주간
	"년", "개월간", "개월새", "주간", "주일",
}

// koreanUnits are the numeral units written after digits (5천, 162만, 34억, 2조).
var koreanSmallUnits = map[rune]float64{'십': 10, '백': 100, '천': 1000}
var koreanBigUnits = map[rune]float64{'만': 1e4, '억': 1e8, '조': 1e12, '경': 1e16}

// koreanNative are native Korean numerals used with a counter (네 명, 두 배).
var koreanNative = map[string]int{
	"두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9, "열": 10, "스무": 20,
}

var months = map[string]bool{
	"jan": true, "january": true, "feb": true, "february": true, "mar": true, "march": true, "apr": true,
	"april": true, "may": true, "jun": true, "june": true, "jul": true, "july": true, "aug": true, "august": true,
	"sep": true, "sept": true, "september": true, "oct": true, "october": true, "nov": true, "november": true,
	"dec": true, "december": true,
}

// referenceWords before a number make it a label, not a quantity: page 5,
// Section 3, Resolution 2397, No. 7.
var referenceWords = map[string]bool{
	"page": true, "pages": true, "p": true, "pp": true, "section": true, "sec": true, "chapter": true, "ch": true,
	"article": true, "art": true, "paragraph": true, "para": true, "clause": true, "figure": true, "fig": true,
	"table": true, "vol": true, "volume": true, "issue": true, "no": true, "nos": true, "number": true, "item": true,
	"episode": true, "ep": true, "part": true, "step": true, "phase": true, "level": true, "grade": true,
	"version": true, "ver": true, "v": true, "resolution": true, "rule": true, "room": true, "route": true,
	"seat": true, "gate": true, "flight": true, "platform": true, "exhibit": true, "appendix": true, "annex": true,
	"footnote": true, "note": true, "chart": true, "slide": true, "question": true, "q": true, "season": true,
	"stage": true, "tier": true, "category": true, "type": true, "model": true, "series": true, "generation": true,
	"gen": true, "batch": true, "block": true, "zone": true, "division": true, "floor": true, "building": true,
	"suite": true, "box": true, "ext": true, "tel": true, "fax": true, "phone": true, "hotline": true, "code": true,
	"pin": true, "id": true, "top": true, "rank": true, "ranked": true, "ranks": true, "no.": true, "nr": true,
	"act": true, "cve": true, "windows": true, "apt": true, "kb": true,
	// page furniture: Comments 3, Views 1,204, Likes 12, Photo 1 of 5
	"comments": true, "comment": true, "views": true, "likes": true, "shares": true, "replies": true, "reply": true,
	"photo": true, "image": true, "picture": true, "video": true,
	// names of North Korean units and offices: Unit 180, Bureau 121, Lab 110, Office 39
	"unit": true, "bureau": true, "lab": true, "office": true,
}

// pageCounters after a number make it page furniture: 0 Comments, 12 Likes.
var pageCounters = map[string]bool{"comments": true, "comment": true, "likes": true, "shares": true, "views": true, "replies": true}

// dataUnits glued to a number are sizes of data (1.2TB, 1014GB): the
// number is a count of them.
var dataUnits = map[string]bool{"kb": true, "mb": true, "gb": true, "tb": true, "pb": true}

// koreanReferenceWords before a number make it page furniture: 댓글 0.
var koreanReferenceWords = map[string]bool{"댓글": true, "조회": true, "조회수": true, "공유": true, "추천": true, "좋아요": true, "페이지": true, "관련기사": true}

// timeUnits after a number and before "ago" make a relative date ("3 days
// ago"); "min read" is a byline's reading time.
var timeUnits = map[string]bool{
	"second": true, "seconds": true, "sec": true, "secs": true, "minute": true, "minutes": true, "min": true,
	"mins": true, "hour": true, "hours": true, "hr": true, "hrs": true, "day": true, "days": true, "week": true,
	"weeks": true, "month": true, "months": true, "year": true, "years": true,
}

// abbreviations end in a point that does not end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "rep": true, "reps": true, "sen": true,
	"gen": true, "gov": true, "lt": true, "col": true, "sgt": true, "st": true, "jr": true, "sr": true, "inc": true,
	"ltd": true, "co": true, "corp": true, "vs": true, "etc": true, "no": true, "nos": true, "jan": true, "feb": true,
	"mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true, "sept": true, "oct": true,
	"nov": true, "dec": true, "fig": true, "p": true, "pp": true, "vol": true, "approx": true, "est": true,
	"dept": true, "univ": true, "e.g": true, "i.e": true, "u.s": true, "u.k": true, "u.n": true, "a.m": true,
	"p.m": true, "adm": true, "capt": true, "maj": true, "pres": true, "amb": true, "min": true, "govt": true,
}
