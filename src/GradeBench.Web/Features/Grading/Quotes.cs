using System.Text.RegularExpressions;
using GradeBench.Core.Grading;

namespace GradeBench.Web.Features.Grading;

public static class Quotes
{
    /// <summary>A passage as a list row shows it: as read (without its Markdown markup), on one line, at most 80
    /// characters, cut before a character outside the Basic Multilingual Plane (an emoji) rather than through it.</summary>
    public static string Short(string quote)
    {
        var text = Regex.Replace(SpanLocator.Visible(quote), @"\s+", " ").Trim();
        return text.Length <= 80 ? text : text[..(char.IsHighSurrogate(text[76]) ? 76 : 77)] + "…";
    }
}
