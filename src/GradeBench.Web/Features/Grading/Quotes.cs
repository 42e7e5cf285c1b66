namespace GradeBench.Web.Features.Grading;

public static class Quotes
{
    /// <summary>A passage as a list row shows it: at most 80 characters, cut before a character outside the Basic
    /// Multilingual Plane (an emoji) rather than through it.</summary>
    public static string Short(string quote) => quote.Length <= 80 ? quote : quote[..(char.IsHighSurrogate(quote[76]) ? 76 : 77)] + "…";
}
