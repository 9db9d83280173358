package extract

import "testing"

func TestHTMLText(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"paragraphs", "<p>One.</p><p>Two.</p>", "One.\n\nTwo."},
		{"inline tags keep words together", "<p>stole <b>$1.7</b>&nbsp;billion</p>", "stole $1.7 billion"},
		{"entities", "<p>Kim&#8217;s &amp; Lee&rsquo;s 70&#37;</p>", "Kim’s & Lee’s 70%"},
		{"scripts, styles and the head are dropped", "<html><head><title>t</title><style>p{}</style></head><body><script>var n = 5;</script><p>text</p><noscript>9</noscript></body></html>", "text"},
		{"line breaks and list items", "<div>a<br>b</div><ul><li>c</li><li>d</li></ul>", "a\nb\n\nc\nd"},
		{"white space folded", "<p>  1.37 \n\t million  </p>", "1.37 million"},
		{"table rows keep their cells together", "<table><tr><th>year</th><th>cases</th></tr><tr><td>2022</td><td>1,142</td></tr></table>", "year | cases\n2022 | 1,142"},
		{"a head left open", "<html><head><title>T</title><body><p>5 attacks</p></body></html>", "5 attacks"},
		{"korean", "<p>하루 평균 <strong>162만</strong> 건</p>", "하루 평균 162만 건"},
		{"broken markup", "<p>10 <b>attacks<p>20", "10 attacks\n\n20"},
		// 하루 평균 162만 건 in EUC-KR, declared by a meta tag
		{"euc-kr", "<html><head><meta charset=\"euc-kr\"></head><body><p>\xc7\xcf\xb7\xe7 \xc6\xf2\xb1\xd5 162\xb8\xb8 \xb0\xc7</p></body></html>", "하루 평균 162만 건"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := HTMLText([]byte(tc.in)); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestIsHTML(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		want       bool
	}{
		{"page.html", "anything", true},
		{"page.htm", "", true},
		{"a.txt", "<html>", false},
		{"saved", "  <!DOCTYPE html><html>", true},
		{"saved", "\ufeff<html lang=ko>", true},
		{"article", "North Korea <stole> $1 billion", false},
		{"article", "", false},
	} {
		if got := IsHTML(tc.name, []byte(tc.data)); got != tc.want {
			t.Errorf("IsHTML(%q, %q) = %v, want %v", tc.name, tc.data, got, tc.want)
		}
	}
}
