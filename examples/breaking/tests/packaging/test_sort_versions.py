from verpin import sort_versions


def test_pep440_versions_sort_by_version() -> None:
    assert sort_versions(["1.10", "1.2", "1.0rc1"]) == ["1.0rc1", "1.2", "1.10"]


def test_legacy_versions_sort_first() -> None:
    assert sort_versions(["1.0", "nightly", "0.9"]) == ["nightly", "0.9", "1.0"]
