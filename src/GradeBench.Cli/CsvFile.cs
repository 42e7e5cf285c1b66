using System.Text;
using GradeBench.Core.Agreement;

namespace GradeBench.Cli;

/// <summary>How the statistics commands read their input files: strict UTF-8 (a byte-order mark allowed), and a bad file
/// said in one line, <c>name:line: message</c> for a problem with its contents, <c>name:0: the file is not valid
/// UTF-8</c>, or <c>error: …</c> when it cannot be read; the command then exits with <see cref="ExitCodes.InvalidInput"/>.</summary>
static class CsvFile
{
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>What <paramref name="read"/> makes of the file; null (after saying why) when the file is bad.</summary>
    public static T? Read<T>(FileInfo file, Func<TextReader, T> read, TextWriter error) where T : class
    {
        try
        {
            using var reader = new StreamReader(file.FullName, StrictUtf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            return read(reader);
        }
        catch (RatingsCsvException e)
        {
            error.WriteLine($"{file.Name}:{e.Line}: {e.Message}");
        }
        catch (DecoderFallbackException)
        {
            error.WriteLine($"{file.Name}:0: the file is not valid UTF-8");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
        }
        return null;
    }
}
