from hypothesis import given
from hypothesis import strategies as st

from portal.crypto import tokens


def test_tokens_carry_at_least_128_bits_and_differ():
    issued = {tokens.new_token() for _ in range(1000)}
    assert len(issued) == 1000
    assert all(len(token) >= 43 for token in issued)  # 32 bytes base64url = 256 bits


def test_hash_is_sha256_hex_and_not_the_token():
    token = tokens.new_token()
    digest = tokens.hash_token(token)
    assert len(digest) == 64 and token not in digest
    assert digest == tokens.hash_token(token)


def test_short_codes_use_only_unambiguous_characters():
    for _ in range(500):
        code = tokens.new_short_code()
        assert len(code) == 8
        assert not set(code) & set("0O1IL5S2Z8BUV")


def test_typed_short_code_is_normalised():
    code = tokens.new_short_code()
    typed = f" {code[:4].lower()}-{code[4:]} "
    assert tokens.normalise_short_code(typed) == code
    assert tokens.format_short_code(code) == f"{code[:4]}-{code[4:]}"


@given(st.text(max_size=30))
def test_junk_is_never_a_short_code_unless_it_fits_the_alphabet(text):
    code = tokens.normalise_short_code(text)
    if code is not None:
        assert len(code) == 8 and set(code) <= set(tokens.SHORT_CODE_ALPHABET)


def test_token_shape_check_rejects_junk():
    assert tokens.looks_like_token(tokens.new_token())
    assert not tokens.looks_like_token("../../etc/passwd")
    assert not tokens.looks_like_token("short")


def test_short_codes_are_hashed_with_a_key_not_plain_sha256():
    code = tokens.new_short_code()
    keyed = tokens.hash_short_code(code, b"key one")
    assert len(keyed) == 64 and code not in keyed
    assert keyed != tokens.hash_token(code)  # the legacy, unkeyed hash
    assert keyed == tokens.hash_short_code(code, b"key one")
    assert keyed != tokens.hash_short_code(code, b"key two")


def test_the_short_code_key_is_configured_or_derived_from_the_secret_key():
    configured = {"SHORT_CODE_KEY": "a configured key", "SECRET_KEY": "s"}
    assert tokens.short_code_key(configured) == b"a configured key"
    derived = tokens.short_code_key({"SHORT_CODE_KEY": "", "SECRET_KEY": "s"})
    assert derived != b"s" and derived == tokens.short_code_key({"SECRET_KEY": "s"})
    assert derived != tokens.short_code_key({"SECRET_KEY": "another secret"})
