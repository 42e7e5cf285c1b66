using GradeBench.Core.Studies;

namespace GradeBench.Core.Tests.Studies;

/// <summary>Study, case, response, criterion and rater ids and user names share one rule; <c>$</c> in a .NET regular
/// expression also matches before a final newline, so "abc\n" once passed as an identifier.</summary>
public sealed class IdentifierTests
{
    [Theory]
    [InlineData("abc\n")]
    [InlineData("abc\r\n")]
    [InlineData("abc\r")]
    [InlineData("ab\tc")]
    [InlineData("abc\0")]
    [InlineData("\nabc")]
    [InlineData("abc\u0085")]
    public void AnIdentifierHoldsNoLineEndOrControlCharacter(string value) => Assert.False(BundleReader.IsIdentifier(value));

    [Theory]
    [InlineData("abc")]
    [InlineData("case-001.model-a")]
    [InlineData("A_b.9")]
    public void PlainIdentifiersStillPass(string value) => Assert.True(BundleReader.IsIdentifier(value));

    [Theory]
    [InlineData("en\n")]
    [InlineData("zh-CN\n")]
    public void ALanguageTagCannotEndInANewline(string value) => Assert.DoesNotMatch(BundleSyntax.LanguagePattern(), value);

    [Fact]
    public void AColourCannotEndInANewline() => Assert.DoesNotMatch(BundleSyntax.ColorPattern(), "#fff\n");
}
