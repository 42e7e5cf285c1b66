using System.Text;

namespace GradeBench.Testing.Corpus;

/// <summary>Script-injection payloads for the browser tests (docs/reliability.md, "XSS"): the classic forms from the
/// OWASP XSS Filter Evasion Cheat Sheet and PortSwigger's XSS cheat sheet, in HTML, Markdown, attribute, URL, CSS and
/// template contexts. Each is a template: <c>{JS}</c> becomes <c>alert(N);top.gbxss=N</c> (no space, no quote, so it
/// fits unquoted attributes), <c>{B64}</c> the base64 of a script tag running it, <c>{N}</c> the number. N names the
/// field and the payload (<c>field * 100 + payload</c>), so a marker or dialog says exactly what ran where.</summary>
public static class XssPayloads
{
    /// <summary>The first payload: a bare script tag, which every field must show as text (the tests look for it).</summary>
    public static readonly IReadOnlyList<(string Name, string Template)> All =
    [
        ("script tag", "<script>{JS}</script>"),
        ("script tag, mixed case", "<ScRiPt>{JS}</sCrIpT>"),
        ("img onerror, unquoted", "<img src=x onerror={JS}>"),
        ("img onerror, quoted, entity-encoded handler", "<img src=\"x\" onerror=\"&#97;lert({N});top.gbxss={N}\">"),
        ("svg onload", "<svg onload={JS}>"),
        ("script inside svg", "<svg><script>{JS}</script></svg>"),
        ("svg animate onbegin", "<svg><animate onbegin={JS} attributeName=x dur=1s>"),
        ("svg link with xlink:href", "<svg><a xlink:href=\"javascript:{JS}\"><text x=\"20\" y=\"20\">svg link</text></a></svg>"),
        ("body onload", "<body onload={JS}>"),
        ("details ontoggle", "<details open ontoggle={JS}>details</details>"),
        ("input autofocus onfocus", "<input autofocus onfocus={JS}>"),
        ("video source onerror", "<video><source onerror={JS}></video>"),
        ("iframe srcdoc", "<iframe srcdoc=\"&lt;script&gt;{JS}&lt;/script&gt;\"></iframe>"),
        ("iframe javascript src", "<iframe src=\"javascript:{JS}\"></iframe>"),
        ("iframe data url", "<iframe src=\"data:text/html;base64,{B64}\"></iframe>"),
        ("object and embed", "<object data=\"javascript:{JS}\"></object><embed src=\"data:text/html;base64,{B64}\">"),
        ("anchor javascript href", "<a href=\"javascript:{JS}\">anchor</a>"),
        ("anchor entity-encoded scheme", "<a href=\"&#106;&#97;vascript:{JS}\">anchor</a>"),
        ("anchor tab inside scheme", "<a href=\"jav&#x09;ascript:{JS}\">anchor</a>"),
        ("anchor onclick", "<a href=\"https://example.com/\" onclick=\"{JS}\">anchor</a>"),
        ("markdown link javascript", "[md link](javascript:{JS})"),
        ("markdown link mixed-case scheme", "[md link](JaVaScRiPt:{JS})"),
        ("markdown link data url", "[md link](data:text/html;base64,{B64})"),
        ("markdown autolink javascript", "<javascript:{JS}>"),
        ("markdown image javascript", "![md image](javascript:{JS})"),
        ("markdown reference link", "[ref link][x{N}]\n\n[x{N}]: javascript:{JS}"),
        ("markdown link title breakout", "[md link](https://example.com/ \"t\\\" onmouseover=\\\"{JS}\")"),
        ("bare url with quotes", "https://example.com/\"onmouseover=\"{JS}\""),
        ("attribute breakout, double quote", "\"><script>{JS}</script>"),
        ("attribute breakout, single quote", "'><script>{JS}</script>"),
        ("attribute injection", "\" autofocus onfocus=\"{JS}\" x=\""),
        ("textarea breakout", "</textarea><script>{JS}</script>"),
        ("title breakout", "</title><script>{JS}</script>"),
        ("style breakout", "</style><script>{JS}</script>"),
        ("script breakout", "</script><script>{JS}</script>"),
        ("html comment trick", "<!--<img src=\"--><img src=x onerror={JS}//\">"),
        ("math mutation xss", "<math><mtext><table><mglyph><style><!--</style><img title=\"--&gt;&lt;img src=1 onerror={JS}&gt;\">"),
        ("noscript mutation", "<noscript><p title=\"</noscript><img src=x onerror={JS}>\">"),
        ("style url javascript", "<div style=\"background:url(javascript:{JS})\">styled</div>"),
        ("style expression", "<div style=\"width:expression({JS})\">styled</div>"),
        ("style element import", "<style>@import \"javascript:{JS}\";</style>"),
        ("form action and formaction", "<form action=\"javascript:{JS}\"><button formaction=\"javascript:{JS}\">go</button></form>"),
        ("meta refresh", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:{JS}\">"),
        ("base href", "<base href=\"javascript:{JS}//\">"),
        ("line separators before a script", "\u2028\u2029</script><script>{JS}</script>"),
        ("angular template", "{{constructor.constructor('{JS}')()}}"),
        ("razor and js templates", "@({JS}) @{ {JS} } ${{JS}}"),
        ("polyglot (0xsobky)", "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk={JS} )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd={JS}//>\\x3e"),
    ];

    /// <summary>Payload <paramref name="payload"/> (0-based) for field <paramref name="field"/>.</summary>
    public static string Payload(int field, int payload)
    {
        var n = Marker(field, payload);
        var js = $"alert({n});top.gbxss={n}";
        var b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes($"<script>{js}</script>"));
        return All[payload].Template.Replace("{JS}", js).Replace("{B64}", b64).Replace("{N}", n.ToString());
    }

    public static int Marker(int field, int payload) => field * 100 + payload + 1;

    /// <summary>What must show as text wherever the field is displayed: its first payload, a script tag, verbatim.</summary>
    public static string Visible(int field) => Payload(field, 0);

    /// <summary>Every payload (or those of <paramref name="only"/>) for one field, after a tag naming it. Markdown fields
    /// get a paragraph each (so reference definitions and blocks stay whole); one-line fields get spaces for line breaks.</summary>
    public static string Text(int field, string name, bool markdown, IEnumerable<int>? only = null)
    {
        var payloads = (only ?? Enumerable.Range(0, All.Count)).Select(p => Payload(field, p));
        return markdown
            ? $"⟪F{field:D2} {name}⟫\n\n" + string.Join("\n\n", payloads)
            : $"⟪F{field:D2} {name}⟫ " + string.Join(' ', payloads.Select(p => p.Replace('\n', ' ')));
    }
}
