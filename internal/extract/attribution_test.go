package extract

import "testing"

// TestAttribution: the cues of English and Korean attributions are found
// with their context, and sentences without one give "".
func TestAttribution(t *testing.T) {
	for _, tc := range []struct{ quote, want string }{
		// seed 002: the claimant is not the source's chain (UN panel)
		{"Jung further cited information coming out of the United States claiming that approximately 50% of the cost of North Korea’s ballistic missile program is coming from cybercrime, primarily cryptocurrency theft.",
			"Jung further cited information coming out of the United States claiming…"},
		{"According to the NIS, attacks rose 15%.", "According to the NIS, attacks rose 15%."},
		{"Hackers stole $1.7 billion, the report further states.", "Hackers stole $1.7 billion, the report further states."},
		{"ROK intelligence analyses show that by far most cyberattacks – 70% – came from groups in the DPRK, officials said.",
			"ROK intelligence analyses show that by far most cyberattacks – 70% –…"},
		{"국정원에 따르면 하루 평균 162만 건의 공격이 있었다.", "국정원에 따르면 하루 평균 162만 건의 공격이 있었다."},
		{"경찰은 34억 원을 뜯어냈다고 밝혔다.", "경찰은 34억 원을 뜯어냈다고 밝혔다."},
		{"The Basic Plan comprises 100 action tasks.", ""},
		{"North Korea’s stolen wealth totaled $1.7 billion in 2022.", ""},
		// "states" as a noun is a cue too: a hint, not a finding
		{"Seven member states cooperated.", "Seven member states cooperated."},
		{"", ""},
	} {
		if got := Attribution(tc.quote); got != tc.want {
			t.Errorf("Attribution(%q) = %q, want %q", tc.quote, got, tc.want)
		}
	}
}
