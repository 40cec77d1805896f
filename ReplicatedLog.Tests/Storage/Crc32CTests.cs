using System.Text;
using ReplicatedLog.Core.Storage.OnDisk;

namespace ReplicatedLog.Tests.Storage;

public sealed class Crc32CTests
{
    [Fact]
    public void TheChecksumOfTheStandardCheckInputIsTheCastagnoliCheckValue() =>
        Assert.Equal(0xE3069283u, Crc32C.Append(0, Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void AChecksumCanBeContinuedOverTheNextBytes() =>
        Assert.Equal(Crc32C.Append(0, "123456789"u8), Crc32C.Append(Crc32C.Append(0, "1234"u8), "56789"u8));
}
