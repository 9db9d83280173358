package extract

import (
	"strings"
	"testing"
)

// expressions is the table of expressions the grammar must read: each
// sentence holds one figure, with the text that states it, its value in base
// units, its unit and its qualifier. English and Korean, digits and words,
// scales, currencies, percentages, changes, multiples, fractions and hedges.
var expressions = []struct {
	in    string
	text  string
	value float64
	unit  string
	qual  string
}{
	// Digits, separators, decimals.
	{"Hackers breached 250 organizations.", "250", 250, "count", "none"},
	{"They stole records of 1,000 citizens.", "1,000", 1000, "count", "none"},
	{"A total of 1,234,567 attempts were blocked.", "1,234,567", 1234567, "count", "none"},
	{"The index fell to 0.5 points.", "0.5", 0.5, "count", "none"},
	{"Agents seized 12.5 tonnes.", "12.5", 12.5, "count", "none"},
	{"Officials counted 17 cases of theft.", "17", 17, "count", "none"},
	{"Police arrested 4 people.", "4", 4, "count", "none"},
	{"There were 10000 incidents.", "10000", 10000, "count", "none"},
	// Scale words.
	{"An average of 1.37 million cases were recorded.", "1.37 million", 1.37e6, "count", "none"},
	{"More than 10 million PCs run the program.", "10 million", 1e7, "count", "more_than"},
	{"It reached 3 billion requests.", "3 billion", 3e9, "count", "none"},
	{"They sent 2 thousand emails.", "2 thousand", 2000, "count", "none"},
	{"Scanners logged 1.2 trillion packets.", "1.2 trillion", 1.2e12, "count", "none"},
	{"Some 5 million accounts leaked.", "5 million", 5e6, "count", "about"},
	// Number words.
	{"The government arrested four individuals last week.", "four", 4, "count", "none"},
	{"The plan sets out five key objectives.", "five", 5, "count", "none"},
	{"Investigators found twenty-five servers.", "twenty-five", 25, "count", "none"},
	{"They hit twelve ministries.", "twelve", 12, "count", "none"},
	{"Shipments went out about a dozen times since August.", "a dozen", 12, "count", "about"},
	{"Two dozen banks were hit.", "Two dozen", 24, "count", "none"},
	{"A hundred servers went down.", "A hundred", 100, "count", "none"},
	{"They breached three hundred and twelve systems.", "three hundred and twelve", 312, "count", "none"},
	{"Two million users were exposed.", "Two million", 2e6, "count", "none"},
	{"A million records were dumped.", "A million", 1e6, "count", "none"},
	{"They hacked seventeen exchanges.", "seventeen", 17, "count", "none"},
	{"Nearly forty groups operate.", "forty", 40, "count", "about"},
	{"The attacks lasted ninety days.", "ninety", 90, "count", "none"},
	// Percentages.
	{"Most attacks – 70% – came from the DPRK.", "70%", 0.7, "ratio", "none"},
	{"It covered 40% of the funds.", "40%", 0.4, "ratio", "none"},
	{"This amount represents 21.46% of the total.", "21.46%", 0.2146, "ratio", "none"},
	{"More than 80 percent of attacks were by North Korea.", "80 percent", 0.8, "ratio", "more_than"},
	{"About 40 per cent of firms were hit.", "40 per cent", 0.4, "ratio", "about"},
	{"Approximately 50% of the cost comes from cybercrime.", "50%", 0.5, "ratio", "about"},
	{"Only 3 pct of cases were solved.", "3 pct", 0.03, "ratio", "none"},
	{"Roughly 15 percent of users clicked.", "15 percent", 0.15, "ratio", "about"},
	{"Fifteen percent of the budget goes to defence.", "Fifteen percent", 0.15, "ratio", "none"},
	{"At least 60% of them were phishing.", "60%", 0.6, "ratio", "at_least"},
	{"Less than 5% were reported.", "5%", 0.05, "ratio", "less_than"},
	{"Up to 30% of traffic was malicious.", "30%", 0.3, "ratio", "at_most"},
	{"Fewer than 10 percent of victims paid.", "10 percent", 0.1, "ratio", "less_than"},
	{"Nearly 90% of the samples matched.", "90%", 0.9, "ratio", "about"},
	{"An estimated 25% of the losses were recovered.", "25%", 0.25, "ratio", "about"},
	// Changes.
	{"This marks at 15% increase from last year.", "15%", 0.15, "change_ratio", "none"},
	{"Attacks increased by about 32 percent so far this year.", "32 percent", 0.32, "change_ratio", "about"},
	{"Phishing was up 36 percent from a year earlier.", "36 percent", 0.36, "change_ratio", "none"},
	{"Ransom payments fell 20% last year.", "20%", -0.2, "change_ratio", "none"},
	{"Incidents rose 12 percent.", "12 percent", 0.12, "change_ratio", "none"},
	{"There was a 15% rise in attacks.", "15%", 0.15, "change_ratio", "none"},
	{"Arrests saw a 10 percent decline.", "10 percent", -0.1, "change_ratio", "none"},
	{"Thefts dropped by 8% in May.", "8%", -0.08, "change_ratio", "none"},
	{"An increase of 25% was recorded.", "25%", 0.25, "change_ratio", "none"},
	{"Spending grew by more than 40 per cent.", "40 per cent", 0.4, "change_ratio", "more_than"},
	{"Attacks were down 5% on the year.", "5%", -0.05, "change_ratio", "none"},
	{"Hackers made 50% more attempts.", "50%", 0.5, "change_ratio", "none"},
	{"Losses jumped 300% in 2022.", "300%", 3, "change_ratio", "none"},
	{"Detections declined by 7.5 percent.", "7.5 percent", -0.075, "change_ratio", "none"},
	{"There was a 20% year-on-year increase.", "20%", 0.2, "change_ratio", "none"},
	// Multiples.
	{"Thefts spiked three-fold from 2021 to 2022.", "three-fold", 2, "change_ratio", "none"},
	{"The losses grew threefold.", "threefold", 2, "change_ratio", "none"},
	{"Attacks rose 10-fold.", "10-fold", 9, "change_ratio", "none"},
	{"The number of attacks tripled.", "tripled", 2, "change_ratio", "none"},
	{"Ransomware cases doubled last year.", "doubled", 1, "change_ratio", "none"},
	{"Losses more than doubled.", "doubled", 1, "change_ratio", "more_than"},
	{"The budget was halved.", "halved", -0.5, "change_ratio", "none"},
	{"Attacks quadrupled in a year.", "quadrupled", 3, "change_ratio", "none"},
	{"There were five times more attacks.", "five times", 4, "change_ratio", "none"},
	{"It is twice as large.", "twice", 1, "change_ratio", "none"},
	{"Thefts grew two-fold.", "two-fold", 1, "change_ratio", "none"},
	// Fractions.
	{"Half of the attacks targeted banks.", "Half", 0.5, "ratio", "none"},
	{"A third of the victims paid.", "A third", 1.0 / 3, "ratio", "none"},
	{"Attacks fell by a third.", "a third", -1.0 / 3, "change_ratio", "none"},
	{"Two-thirds of the servers were patched.", "Two-thirds", 2.0 / 3, "ratio", "none"},
	{"Four-fifths of the funds came from theft.", "Four-fifths", 0.8, "ratio", "none"},
	{"More than half of the firms were hit.", "half", 0.5, "ratio", "more_than"},
	{"A quarter of the attacks came from China.", "A quarter", 0.25, "ratio", "none"},
	{"Nearly a third of the budget went to defence.", "a third", 1.0 / 3, "ratio", "about"},
	{"Three quarters of the accounts were fake.", "Three quarters", 0.75, "ratio", "none"},
	{"One in five users clicked the link.", "One in five", 0.2, "ratio", "none"},
	{"Nine out of ten attacks used phishing.", "Nine out of ten", 0.9, "ratio", "none"},
	{"Losses were cut by half.", "half", -0.5, "change_ratio", "none"},
	// Currencies by symbol.
	{"They stole approximately $1.7 billion.", "$1.7 billion", 1.7e9, "usd", "about"},
	{"The group took $1.7bn from exchanges.", "$1.7bn", 1.7e9, "usd", "none"},
	{"North Korea earned at least $750 million last year.", "$750 million", 7.5e8, "usd", "at_least"},
	{"It cost US$2.5 million.", "US$2.5 million", 2.5e6, "usd", "none"},
	{"The fine was $10m.", "$10m", 1e7, "usd", "none"},
	{"Earnings totaled $13.55 billion.", "$13.55 billion", 1.355e10, "usd", "none"},
	{"A ransom of $500,000 was paid.", "$500,000", 5e5, "usd", "none"},
	{"Losses hit €5 million.", "€5 million", 5e6, "eur", "none"},
	{"Damages of £3m were claimed.", "£3m", 3e6, "gbp", "none"},
	{"The firm lost ¥100 million.", "¥100 million", 1e8, "jpy", "none"},
	{"Victims paid ₩3.4 billion.", "₩3.4 billion", 3.4e9, "krw", "none"},
	{"It raised HK$8 million.", "HK$8 million", 8e6, "hkd", "none"},
	{"Thieves took over $100 million.", "$100 million", 1e8, "usd", "more_than"},
	{"The loss was nearly $2 billion.", "$2 billion", 2e9, "usd", "about"},
	{"Up to $300 million may be lost.", "$300 million", 3e8, "usd", "at_most"},
	{"Less than $1 million was recovered.", "$1 million", 1e6, "usd", "less_than"},
	// Currencies by word or code.
	{"They extracted 3.4 billion won from victims.", "3.4 billion won", 3.4e9, "krw", "none"},
	{"The exchange lost 5 million dollars.", "5 million dollars", 5e6, "usd", "none"},
	{"It paid 2 million euros.", "2 million euros", 2e6, "eur", "none"},
	{"Costs reached 300 million yen.", "300 million yen", 3e8, "jpy", "none"},
	{"Fraud cost 10 billion yuan.", "10 billion yuan", 1e10, "cny", "none"},
	{"Losses hit USD 1.2 billion.", "USD 1.2 billion", 1.2e9, "usd", "none"},
	{"The bank lost KRW 50 billion.", "KRW 50 billion", 5e10, "krw", "none"},
	{"They seized 20 million USD.", "20 million USD", 2e7, "usd", "none"},
	{"It was worth 1.5 million US dollars.", "1.5 million US dollars", 1.5e6, "usd", "none"},
	{"The fund holds RMB 3 billion.", "RMB 3 billion", 3e9, "cny", "none"},
	{"Two million dollars were stolen.", "Two million dollars", 2e6, "usd", "none"},
	{"The firm lost W3.4 billion to hackers.", "W3.4 billion", 3.4e9, "krw", "none"},
	{"Each victim paid W500,000.", "W500,000", 5e5, "krw", "none"},
	// Hedges.
	{"They detected some 1,000 intrusions.", "1,000", 1000, "count", "about"},
	{"Around 250 organizations were hit.", "250", 250, "count", "about"},
	{"Roughly 300 servers were seized.", "300", 300, "count", "about"},
	{"An estimated 2,000 people were affected.", "2,000", 2000, "count", "about"},
	{"Over 500 websites were defaced.", "500", 500, "count", "more_than"},
	{"At least 17 cases of theft occurred.", "17", 17, "count", "at_least"},
	{"Fewer than 20 agents remain.", "20", 20, "count", "less_than"},
	{"No more than 3 accounts were used.", "3", 3, "count", "at_most"},
	{"As many as 40 ships were involved.", "40", 40, "count", "at_most"},
	{"Almost 700 emails were sent.", "700", 700, "count", "about"},
	{"There were 1,000 or more victims.", "1,000", 1000, "count", "at_least"},
	{"They built 30 or so tools.", "30", 30, "count", "about"},
	{"Hackers used 100+ domains.", "100", 100, "count", "more_than"},
	{"In excess of 600 attacks were seen.", "600", 600, "count", "more_than"},
	{"No fewer than 12 units took part.", "12", 12, "count", "at_least"},
	{"Approximately 80 groups were tracked.", "80", 80, "count", "about"},
	{"A maximum of 50 users may log in.", "50", 50, "count", "at_most"},
	// Korean: 만/억/조 with 천/백/십, counters, currencies.
	{"하루 평균 162만 건의 공격이 있었다.", "162만 건", 1.62e6, "count", "none"},
	{"피해액은 2조 2천억 원에 달한다.", "2조 2천억 원", 2.2e12, "krw", "none"},
	{"1천만 대의 PC가 감염됐다.", "1천만 대", 1e7, "count", "none"},
	{"신용카드 1000건 정보 절취 적발", "1000건", 1000, "count", "none"},
	{"랜섬웨어로 34억 원을 뜯어냈다.", "34억 원", 3.4e9, "krw", "none"},
	{"북한은 약 17억 달러를 훔쳤다.", "17억 달러", 1.7e9, "usd", "about"},
	{"해커들은 3억4천만 원을 챙겼다.", "3억4천만 원", 3.4e8, "krw", "none"},
	{"가상자산 7억5천만 달러를 탈취했다.", "7억5천만 달러", 7.5e8, "usd", "none"},
	{"피해 기관은 250곳이다.", "250곳", 250, "count", "none"},
	{"4명이 체포됐다.", "4명", 4, "count", "none"},
	{"1만여 건의 메일이 발송됐다.", "1만여 건", 1e4, "count", "more_than"},
	{"1000건 이상의 해킹이 있었다.", "1000건", 1000, "count", "at_least"},
	{"공격이 100건 미만으로 줄었다.", "100건", 100, "count", "less_than"},
	{"피해자는 5천 명 가량이다.", "5천 명", 5000, "count", "about"},
	{"200개 기관이 피해를 입었다.", "200개", 200, "count", "none"},
	{"공격은 1000건이 넘는다.", "1000건", 1000, "count", "more_than"},
	{"10만 명 이하가 피해를 입었다.", "10만 명", 1e5, "count", "at_most"},
	{"3만 건 초과로 집계됐다.", "3만 건", 3e4, "count", "more_than"},
	{"약 1.5억 원이 유출됐다.", "1.5억 원", 1.5e8, "krw", "about"},
	{"5백만 유로의 손실이 났다.", "5백만 유로", 5e6, "eur", "none"},
	{"10억 엔을 잃었다.", "10억 엔", 1e9, "jpy", "none"},
	{"2억 위안이 빠져나갔다.", "2억 위안", 2e8, "cny", "none"},
	{"피해자는 네 명이다.", "네 명", 4, "count", "none"},
	{"12개국이 참여했다.", "12개국", 12, "count", "none"},
	// Korean percentages, changes, multiples.
	{"공격의 70%가 북한발이었다.", "70%", 0.7, "ratio", "none"},
	{"전년 대비 15% 증가했다.", "15%", 0.15, "change_ratio", "none"},
	{"공격이 32% 늘었다.", "32%", 0.32, "change_ratio", "none"},
	{"피해액이 20% 감소했다.", "20%", -0.2, "change_ratio", "none"},
	{"해킹 시도가 3배 증가했다.", "3배", 2, "change_ratio", "none"},
	{"피해가 2배로 늘었다.", "2배", 1, "change_ratio", "none"},
	{"공격이 두 배 늘었다.", "두 배", 1, "change_ratio", "none"},
	{"랜섬웨어는 40퍼센트를 차지했다.", "40퍼센트", 0.4, "ratio", "none"},
	{"피해 건수가 3배 이상 늘었다.", "3배", 2, "change_ratio", "at_least"},
	{"응답자의 60% 이상이 동의했다.", "60%", 0.6, "ratio", "at_least"},
	{"공격이 1년새 36%↑", "36%", 0.36, "change_ratio", "none"},
	{"해킹 시도 10건 중 8건이 북한 소행이다.", "10건 중 8건", 0.8, "ratio", "none"},
	{"북한 해커들이 탈취한 금액은 30%가량 줄었다.", "30%", -0.3, "change_ratio", "about"},
	{"외화수입의 30%에 육박한다.", "30%", 0.3, "ratio", "about"},
	{"공격의 3분의 1이 북한발이다.", "3분의 1", 1.0 / 3, "ratio", "none"},
	{"전체 도난 사건 1/3과 관련돼 있었다.", "1/3", 1.0 / 3, "ratio", "none"},
	{"이 중 절반 이상이 북한과 연계된 공격이다.", "절반", 0.5, "ratio", "at_least"},
	{"공격 시도가 2016년과 비교해 약 4배 급증했다.", "4배", 3, "change_ratio", "about"},
	// Spelt-out decimals (broadcasters), ratios of counts, shared scales.
	{"The North makes one-point-58 million attempts every day.", "one-point-58 million", 1.58e6, "count", "none"},
	{"They led the theft with 43-point-four percent of the total.", "43-point-four percent", 0.434, "ratio", "none"},
	{"It stole one-point-two trillion won.", "one-point-two trillion won", 1.2e12, "krw", "none"},
	{"North Korea was behind 8 out of 10 cyber attacks.", "8 out of 10", 0.8, "ratio", "none"},
	{"Attacks rose 36% ↑ in the first nine months of the year.", "36%", 0.36, "change_ratio", "none"},
	{"More than 7 out of every 10 incidents hit SMEs.", "7 out of every 10", 0.7, "ratio", "more_than"},
	{"랜섬웨어로 34억 뜯은 회사가 적발됐다.", "34억", 3.4e9, "krw", "none"},
	{"영화 230여 편 분량의 파일이 탈취됐다.", "230여 편", 230, "count", "more_than"},
	{"Attacks nearly doubled in just two years.", "doubled", 1, "change_ratio", "about"},
	{"It was a $1.7-billion heist.", "$1.7-billion", 1.7e9, "usd", "none"},
	{"Half a million accounts leaked.", "Half a million", 5e5, "count", "none"},
	{"They registered 2000 domains.", "2000", 2000, "count", "none"},
	{"피해액은 3천500만 원이다.", "3천500만 원", 3.5e7, "krw", "none"},
	{"Phishing saw a 36-percent jump.", "36-percent", 0.36, "change_ratio", "none"},
	{"응답자 10명 가운데 7명이 피해를 입었다.", "10명 가운데 7명", 0.7, "ratio", "none"},
	{"공격이 2.5배가량 늘었다.", "2.5배", 1.5, "change_ratio", "about"},
	{"북한 비중이 지난해 70%로 줄었다.", "70%", 0.7, "ratio", "none"},
	{"이더리움 34만 2,000개를 탈취했다.", "34만 2,000개", 342000, "count", "none"},
	{"총 1014GB 규모의 자료가 유출됐다.", "1014GB", 1014, "count", "none"},
	{"162만 시민의 정보가 털렸다.", "162만", 1.62e6, "count", "none"},
	{"하루 평균 1만2000여 건의 공격이 있었다.", "1만2000여 건", 12000, "count", "more_than"},
	{"해킹 시도는 전년보다 약 2.3배 증가했다.", "2.3배", 1.3, "change_ratio", "about"},
	{"피해 기관이 2배 가까이 증가했다.", "2배", 1, "change_ratio", "about"},
	{"약 1만여 건의 메일이 발송됐다.", "1만여 건", 1e4, "count", "more_than"},
	{"북한은 약 15억달러 이상을 탈취했다.", "15억달러", 1.5e9, "usd", "at_least"},
	{"They stole about 1,000 or more records.", "1,000", 1000, "count", "at_least"},
	{"Phishing emails made up nearly two-thirds of attacks.", "two-thirds", 2.0 / 3, "ratio", "about"},
	{"Daily attempts averaged 1.62m last year.", "1.62m", 1.62e6, "count", "none"},
	{"The app has 10m users.", "10m", 1e7, "count", "none"},
	{"북한에 털린 1천기가 개인정보", "1천기가", 1000, "count", "none"},
	{"약 34만2000개에 달하는 이더리움이 탈취됐다.", "34만2000개", 342000, "count", "about"},
	{"Participants were more than double the previous year.", "double", 1, "change_ratio", "more_than"},
}

// notFigures holds sentences whose numbers are not figures: years, dates,
// times, ages, ordinals, references, phone numbers, codes, list numbering,
// bylines and datelines. Nothing may be proposed in them.
var notFigures = []string{
	"The attack occurred in 2009.",
	"From 2017 to 2023 the group was active.",
	"Published : Nov. 1, 2023 - 18:41",
	"The NIS revealed this on July 19 in Pangyo.",
	"The evaluation ran from July 17 to Sept. 22.",
	"It happened on 19 July.",
	"The meeting starts at 10 a.m. on Monday.",
	"He left at 3pm.",
	"The 8th Central Committee met.",
	"It was the 22nd National Assembly.",
	"Kim, 45, was arrested.",
	"A 45-year-old man was arrested.",
	"The suspect, aged 37, confessed.",
	"See page 12 for details.",
	"Section 3 of the act applies.",
	"Under Resolution 2397 the council acted.",
	"Call 02-123-4567 for help.",
	"Dial +82 2 1234 5678 now.",
	"The hotline is 1588-1234.",
	"The F1 car and the i3 were shown.",
	"Samsung launched 5G phones.",
	"PHOTO: 123RF/THE KOREA HERALD",
	"20240102000780_0.jpg",
	"Version 2.1 was released.",
	"The server at 192.168.0.1 was hit.",
	"It was reported on 2023-11-01.",
	"Comments0",
	"300",
	"  • 1",
	"[1] Source: Digital Today",
	"1. Heart Failure Risk",
	"By Kim Arin | 3 min read",
	"Updated 2 hours ago",
	"SEOUL, Jan. 3 (Yonhap) -- Officials said",
	"In the first half of the year, attacks grew.",
	"One NIS official said the probe continues.",
	"It was a zero-day exploit.",
	"The attack happened in the 1990s.",
	"2023년 7월 19일 국정원이 발표했다.",
	"제8차 전원회의가 열렸다.",
	"오후 3시 30분에 시작했다.",
	"45세 남성이 체포됐다.",
	"1분기 실적이 발표됐다.",
	"20대 남성이 검거됐다.",
	"2번째 공격이 이어졌다.",
	"COVID-19 spread quickly.",
	"The SF-24 was unveiled.",
	"Twenty-first century threats.",
	"A third party was involved.",
	"He was ranked No. 5 in the list.",
	"올해 4·10 국회의원 총선거를 맞았다.",
	"지난해 8~9월 북한은 조선업체를 해킹했다.",
	"국정원은 2014년~2020년 통계를 냈다.",
	"Over the past two years the group grew.",
	"최근 5년간 기술 유출이 이어졌다.",
	"Reports grew steadily over five years.",
	"Unit 180 and Bureau 121 run the operations.",
	"Comments 3 | Views 1,204",
	"  • 댓글 0",
	"The wall was 10m high.",
	"1인당 평균 피해액이 늘었다.",
	"관련기사 3건",
	"The rate is measured per 100,000 people.",
	"It runs a 24-hour watch under the five-year plan.",
	"0 Comments | Photo 1 of 5",
	"In 2000 attacks were rare.",
	"The drill was held over two weeks starting May 17.",
	"3년 만에 다시 공격했다.",
	"It was active from 2017-2023.",
}

// twoCounts hold two counts, not a ratio.
var twoCounts = []string{"Hackers infiltrated ten out of 83 defense companies."}

// ranges hold two figures, the first taking the second's unit.
var ranges = []struct {
	in              string
	first, second   float64
	unit            string
	firstT, secondT string
}{
	{"Between 10-15% of attacks were blocked.", 0.1, 0.15, "ratio", "10", "15%"},
	{"연봉의 3~9배를 제시했다.", 2, 8, "change_ratio", "3", "9배"},
	{"피해자는 3~5만 명이다.", 3e4, 5e4, "count", "3", "5만 명"},
	{"Crypto theft saw $732 and $776 million stolen.", 7.32e8, 7.76e8, "usd", "$732", "$776 million"},
	{"The North has an estimated 6,000-7,000 cyber warriors.", 6000, 7000, "count", "6,000", "7,000"},
	{"Firms with 50-249 workers lag behind.", 50, 249, "count", "50", "249"},
}

func TestTwoCounts(t *testing.T) {
	for _, in := range twoCounts {
		cands, _ := Extract("t.txt", in, nil)
		if len(cands) != 2 || cands[0].Unit != "count" || cands[1].Unit != "count" {
			t.Errorf("%s: got %+v", in, cands)
		}
	}
}

func TestRanges(t *testing.T) {
	for _, tc := range ranges {
		t.Run(tc.in, func(t *testing.T) {
			cands, _ := Extract("t.txt", tc.in, nil)
			if len(cands) != 2 || !close(cands[0].Value, tc.first) || !close(cands[1].Value, tc.second) || cands[0].Unit != tc.unit || cands[1].Unit != tc.unit || cands[0].Text != tc.firstT || cands[1].Text != tc.secondT {
				t.Errorf("got %+v", cands)
			}
		})
	}
}

func TestExpressions(t *testing.T) {
	if len(expressions)+len(notFigures) < 150 {
		t.Fatalf("the table has %d expressions, want at least 150", len(expressions)+len(notFigures))
	}
	for _, tc := range expressions {
		t.Run(tc.in, func(t *testing.T) {
			cands, err := Extract("t.txt", tc.in, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(cands) != 1 {
				t.Fatalf("got %d candidates, want 1: %+v", len(cands), cands)
			}
			c := cands[0]
			if c.Text != tc.text || !close(c.Value, tc.value) || c.Unit != tc.unit || c.Qualifier != tc.qual {
				t.Errorf("got text %q value %v unit %s qualifier %s, want %q %v %s %s", c.Text, c.Value, c.Unit, c.Qualifier, tc.text, tc.value, tc.unit, tc.qual)
			}
			if !strings.Contains(tc.in, c.Quote) || !strings.Contains(c.Quote, c.Text) {
				t.Errorf("quote %q is not verbatim in the input or lacks the text", c.Quote)
			}
		})
	}
	for _, in := range notFigures {
		t.Run(in, func(t *testing.T) {
			cands, err := Extract("t.txt", in, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cands {
				t.Errorf("proposed %q (%v %s) in a sentence without figures", c.Text, c.Value, c.Unit)
			}
		})
	}
}

func close(a, b float64) bool {
	d := a - b
	if d < 0 {
		d = -d
	}
	m := b
	if m < 0 {
		m = -m
	}
	return d <= 1e-9*m || d < 1e-12
}
