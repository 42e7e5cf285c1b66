using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace GradeBench.Testing;

/// <summary>Interface text that did not come through a localizer, read off a page served in the pseudo-locale
/// (docs/localization.md), where every localized string is wrapped in ⟦…⟧. What is not interface text is left out:
/// study content (an element with its own <c>lang</c>), names and identifiers (an element with <c>translate="no"</c>),
/// moments in time (<c>time</c>, written by the browser in the page's language), hidden elements (<c>hidden</c>, <c>aria-hidden</c>, <c>display:none</c> inline), scripts and styles, and text of
/// digits, punctuation and symbols only. Read are text nodes and the attributes a user reads or hears:
/// <c>aria-label</c>, <c>title</c>, <c>placeholder</c>, <c>alt</c>, and the value of buttons.</summary>
public static partial class PseudoLocaleText
{
    static readonly string[] SpokenAttributes = ["aria-label", "title", "placeholder", "alt", "aria-description", "aria-roledescription"];

    /// <summary>Each unmarked string with where it was found (<c>tag#id.class: text</c>).</summary>
    public static IReadOnlyList<string> Unmarked(string html, IEnumerable<string>? allowed = null)
    {
        var allow = (allowed ?? []).ToHashSet(StringComparer.Ordinal);
        var document = new HtmlParser().ParseDocument(html);
        var found = new List<string>();
        if (document.Body is not { } body) return found;
        var title = document.QuerySelector("title")?.TextContent ?? "";
        Check(title, "title", found, allow);
        Walk(body, found, allow);
        return found;
    }

    static void Walk(IElement element, List<string> found, HashSet<string> allow)
    {
        if (Skipped(element)) return;
        foreach (var attribute in SpokenAttributes)
            if (element.GetAttribute(attribute) is { } value) Check(value, $"{Where(element)}[{attribute}]", found, allow);
        if (element.LocalName == "input" && element.GetAttribute("type") is "submit" or "button" or "reset" && element.GetAttribute("value") is { } label)
            Check(label, $"{Where(element)}[value]", found, allow);
        foreach (var child in element.ChildNodes)
        {
            if (child is IElement inner) Walk(inner, found, allow);
            else if (child.NodeType == NodeType.Text) Check(child.TextContent, Where(element), found, allow);
        }
    }

    static bool Skipped(IElement element) =>
        element.LocalName is "script" or "style" or "template" or "noscript" or "time"
        || element.HasAttribute("lang") || element.GetAttribute("translate") == "no"
        || element.HasAttribute("hidden") || element.GetAttribute("aria-hidden") == "true"
        || (element.GetAttribute("style") ?? "").Replace(" ", "").Contains("display:none", StringComparison.Ordinal);

    /// <summary>What is left of a text once every marked part is taken out must be digits, punctuation or symbols.</summary>
    static void Check(string text, string where, List<string> found, HashSet<string> allow)
    {
        var rest = text;
        for (var before = ""; before != rest;) (before, rest) = (rest, Marked().Replace(rest, " "));
        foreach (var name in allow) rest = rest.Replace(name, " ", StringComparison.Ordinal);
        if (Letters().IsMatch(rest)) found.Add($"{where}: {Regex.Replace(text.Trim(), @"\s+", " ")}");
    }

    static string Where(IElement element)
    {
        var id = element.Id is { Length: > 0 } i ? "#" + i : "";
        var classes = element.ClassList.Length > 0 ? "." + string.Join('.', element.ClassList.Take(2)) : "";
        return element.LocalName + id + classes;
    }

    [GeneratedRegex("⟦[^⟦⟧]*⟧")]
    private static partial Regex Marked();

    [GeneratedRegex(@"\p{L}")]
    private static partial Regex Letters();
}
