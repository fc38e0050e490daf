"""The platforms' own worked examples open with callbacks/crypto.py, and a message sealed from the
documents' description (callbacks_support.seal, written without crypto.py) round-trips.

Vectors, verbatim:
- WeCom: the Python sample of WeCom's 加解密库 (the download on 加解密方案说明,
  https://developer.work.weixin.qq.com/document/path/91144), callback/Sample.py in
  github.com/sbzhu/weworkapi_python: token hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo, corp id ww1436e0e65a779aee,
  a URL check (echostr → "1288432023552776189") and a POST of a text message.
- Official Account: 消息加解密说明, 消息解密方式为安全模式 and 明文模式
  (https://developers.weixin.qq.com/doc/subscription/guide/dev/push/encryption.html): Token "AAAAA",
  EncodingAESKey "A"×43, appid wxba5fad812f8e6fb9; FullStr 205 bytes, random "a8eedb185eb2fecf",
  msg_len 167; and the plaintext-mode signature 899cf89e….
"""

import base64
import json

import pytest
from callbacks_support import seal, sha1_signature

from callbacks.crypto import Envelope, Refused, aes_key, check_signature, signature

SAMPLE_KEY, SAMPLE_TOKEN, SAMPLE_CORP = ("6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt",
                                         "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo", "ww1436e0e65a779aee")
SAMPLE_ECHO = "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA=="
SAMPLE_POST = (
    "Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNsh"
    "w2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010w"
    "sHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjU"
    "QVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+"
)
OA_ENCRYPT = (
    "+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazh"
    "Zv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFI"
    "ZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04="
)
WECOM = Envelope(SAMPLE_TOKEN, aes_key(SAMPLE_KEY), SAMPLE_CORP)
OA = Envelope("AAAAA", aes_key("A" * 43), "wxba5fad812f8e6fb9")


def test_wecom_sample_url_check():
    sig = "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb"
    assert WECOM.open(sig, "1476416373", "47744683", SAMPLE_ECHO) == b"1288432023552776189"


def test_wecom_sample_post_is_the_documented_text_message():
    sig = "0c3914025cb4b4d68103f6bfc8db550f79dcf48e"
    assert WECOM.open(sig, "1476422779", "1597212914", SAMPLE_POST).decode() == (
        "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName>"
        "<CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content>"
        "<MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>")


def test_oa_safe_mode_example():
    sig = "046e02f8204d34f8ba5fa3b1db94908f3df2e9b3"
    assert signature("AAAAA", "1714112445", "415670741", OA_ENCRYPT) == sig
    message = OA.open(sig, "1714112445", "415670741", OA_ENCRYPT)
    assert len(message) == 167  # the page's msg_len
    assert json.loads(message) == {
        "ToUserName": "gh_97417a04a28d", "FromUserName": "o9AgO5Kd5ggOC-bXrbNODIiE3bGY",
        "CreateTime": 1714112445, "MsgType": "event", "Event": "debug_demo", "debug_str": "hello world"}


def test_oa_plaintext_signature_example():
    check_signature("899cf89e464efb63f54ddac96b0a0a235f53aa78", "AAAAA", "1714037059", "486452656")
    with pytest.raises(Refused, match="bad signature"):
        check_signature("899cf89e464efb63f54ddac96b0a0a235f53aa78", "AAAAA", "1714037059", "486452657")


def test_the_documented_examples_reseal_byte_for_byte():
    """seal() from the documents, with the example's random bytes, gives the example's ciphertext."""
    message = OA.decrypt(OA_ENCRYPT)
    assert seal(message, "A" * 43, "wxba5fad812f8e6fb9", b"a8eedb185eb2fecf") == OA_ENCRYPT
    assert seal(b"1288432023552776189", SAMPLE_KEY, SAMPLE_CORP, b"8908d0ff052afda0") == SAMPLE_ECHO


@pytest.mark.parametrize("message", [b"", b"x", "中文 event".encode() * 7, b"y" * 25, b"z" * 26])
def test_round_trip_at_every_padding_length(message):
    # FullStr = 16 + 4 + len + the 18-byte corp id: 25 bytes pad by 1, 26 fill 64 bytes and pad a whole block
    encrypt = seal(message, SAMPLE_KEY, SAMPLE_CORP)
    assert len(base64.b64decode(encrypt)) == 32 * ((38 + len(message)) // 32 + 1)
    assert WECOM.open(sha1_signature(SAMPLE_TOKEN, "1", "2", encrypt), "1", "2", encrypt) == message


def test_another_receive_id_is_refused():
    encrypt = seal(b"<xml/>", SAMPLE_KEY, "ww_another_corp")
    with pytest.raises(Refused, match="receive id"):
        WECOM.open(signature(SAMPLE_TOKEN, "1", "2", encrypt), "1", "2", encrypt)


@pytest.mark.parametrize("encrypt, reason", [
    ("not base64!", "not base64"),
    (base64.b64encode(b"x" * 16).decode(), "32-byte blocks"),
    (seal(b"<xml/>", "B" * 43, SAMPLE_CORP), "padding|receive id|too short|length"),  # another key
])
def test_undecryptable_is_refused(encrypt, reason):
    with pytest.raises(Refused, match=reason):
        WECOM.open(signature(SAMPLE_TOKEN, "1", "2", encrypt), "1", "2", encrypt)


def test_signature_must_cover_the_encrypt_text():
    encrypt = seal(b"<xml/>", SAMPLE_KEY, SAMPLE_CORP)
    for sig, ts in [(signature(SAMPLE_TOKEN, "1", "2"), "1"),  # the plaintext-mode signature
                    (signature(SAMPLE_TOKEN, "1", "2", encrypt), "9"),  # another timestamp
                    ("", "1"), (signature("other-token", "1", "2", encrypt), "1")]:
        with pytest.raises(Refused):
            WECOM.open(sig, ts, "2", encrypt)


def test_secrets_stay_out_of_reprs():
    assert SAMPLE_TOKEN not in repr(WECOM) and repr(aes_key(SAMPLE_KEY)) not in repr(WECOM)


@pytest.mark.parametrize("bad", ["A" * 42, "A" * 44, "A" * 42 + "=", "A" * 42 + "+"])
def test_a_malformed_encoding_aes_key(bad):
    with pytest.raises(ValueError):
        aes_key(bad)
