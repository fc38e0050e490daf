"""The endpoints: the URL checks answered as the platforms document, and every request that cannot be
shown to come from the platform answered 403 with nothing written.

The WeCom vectors are from its Python sample (test_crypto.py names it); the OA's are the worked
examples of 消息加解密说明 (明文模式: Token AAAAA, signature 899cf89e…; 安全模式: the JSON push with
msg_signature 046e02f8…, an Event debug_demo the warehouse does not read).
"""

import json
import logging

import pytest
from callbacks_support import OA, WECOM, call, oa_push, seal, sha1_signature, wecom_push, xml
from test_crypto import OA_ENCRYPT, SAMPLE_CORP, SAMPLE_ECHO, SAMPLE_KEY, SAMPLE_POST, SAMPLE_TOKEN

from callbacks.app import build_app
from callbacks.config import platforms
from callbacks.store import Landing

ADD = {"ToUserName": WECOM["WECOM_CORP_ID"], "FromUserName": "sys", "CreateTime": 1716170400,
       "MsgType": "event", "Event": "change_external_contact", "ChangeType": "add_external_contact",
       "UserID": "zhangsan", "ExternalUserID": "wmqfasd1e19278asdasAAAA"}
SUBSCRIBE = {"ToUserName": "gh_10f6c3c3ac5a", "FromUserName": "otvxTs4dckWG7imySrJd6jSi0CWE",
             "CreateTime": 1716163200, "MsgType": "event", "Event": "subscribe"}


def app_for(tmp_path, env):
    return build_app(platforms(env), Landing(tmp_path))


def nothing_written(root) -> bool:
    return not [p for p in root.rglob("*") if p.is_file()]


def test_wecom_url_check(tmp_path):
    app = app_for(tmp_path, {"WECOM_CALLBACK_TOKEN": SAMPLE_TOKEN, "WECOM_CALLBACK_AES_KEY": SAMPLE_KEY,
                             "WECOM_CORP_ID": SAMPLE_CORP})
    query = {"msg_signature": "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb", "timestamp": "1476416373",
             "nonce": "47744683", "echostr": SAMPLE_ECHO}
    assert call(app, "GET", "/wecom", query) == (200, "1288432023552776189")
    # a `+` left unescaped arrives as a space after URL decoding
    assert call(app, "GET", "/wecom", {**query, "echostr": SAMPLE_ECHO.replace("+", " ")})[0] == 200
    assert call(app, "GET", "/wecom", {**query, "nonce": "47744684"}) == (403, "forbidden")
    # the sample's POST (a text message) is acknowledged and, not being an event we read, not written
    post = {"msg_signature": "0c3914025cb4b4d68103f6bfc8db550f79dcf48e", "timestamp": "1476422779",
            "nonce": "1597212914"}
    body = f"<xml><ToUserName><![CDATA[{SAMPLE_CORP}]]></ToUserName>\n<Encrypt><![CDATA[{SAMPLE_POST}]]>" \
           "</Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID>\n</xml>"
    assert call(app, "POST", "/wecom", post, body.encode()) == (200, "success")
    assert nothing_written(tmp_path)


def test_oa_url_check_and_the_documented_safe_mode_push(tmp_path):
    app = app_for(tmp_path, {"OA_CALLBACK_TOKEN": "AAAAA", "OA_CALLBACK_AES_KEY": "A" * 43,
                             "OA_APP_ID": "wxba5fad812f8e6fb9"})
    check = {"signature": "899cf89e464efb63f54ddac96b0a0a235f53aa78", "timestamp": "1714037059",
             "nonce": "486452656", "echostr": "5410712914536172289"}
    assert call(app, "GET", "/oa", check) == (200, "5410712914536172289")
    assert call(app, "GET", "/oa", {**check, "timestamp": "1714037060"}) == (403, "forbidden")
    push = {"signature": "6c5c811b55cc85e0e1b54100749188c20beb3f5d", "timestamp": "1714112445",
            "nonce": "415670741", "openid": "o9AgO5Kd5ggOC-bXrbNODIiE3bGY", "encrypt_type": "aes",
            "msg_signature": "046e02f8204d34f8ba5fa3b1db94908f3df2e9b3"}
    body = json.dumps({"ToUserName": "gh_97417a04a28d", "Encrypt": OA_ENCRYPT}).encode()
    assert call(app, "POST", "/oa", push, body) == (200, "success")
    assert nothing_written(tmp_path)  # debug_demo: not an event oa/event reads


def _tampered(query, body):
    return {**query, "msg_signature": "0" * 40}, body


def _other_wecom_corp(query, body):
    return wecom_push(xml(ADD), receive_id="ww_another_corp")


def _other_oa_appid(query, body):
    return oa_push(xml(SUBSCRIBE), receive_id="wx_another_app")


def _flipped_ciphertext(query, body):  # signed correctly, but not this key's ciphertext
    encrypt = seal(xml(ADD), "B" * 43, WECOM["WECOM_CORP_ID"])
    sig = sha1_signature(WECOM["WECOM_CALLBACK_TOKEN"], query["timestamp"], query["nonce"], encrypt)
    return {**query, "msg_signature": sig}, f"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>".encode()


def _plaintext_to_a_safe_mode_oa(query, body):
    ts, nonce = "1716163200", "1"
    return {"signature": sha1_signature(OA["OA_CALLBACK_TOKEN"], ts, nonce), "timestamp": ts,
            "nonce": nonce}, xml(SUBSCRIBE)


@pytest.mark.parametrize("path, make, forged", [
    ("/wecom", wecom_push, _tampered),
    ("/wecom", wecom_push, _other_wecom_corp),
    ("/wecom", wecom_push, _flipped_ciphertext),
    ("/wecom", wecom_push, lambda q, b: (q, b"<xml><ToUserName>x</ToUserName></xml>")),  # no Encrypt
    ("/wecom", wecom_push, lambda q, b: (q, b"<!DOCTYPE xml [<!ENTITY a 'b'>]><xml>&a;</xml>")),
    ("/wecom", wecom_push, lambda q, b: (q, b"<xml>" + b" " * 70_000 + b"</xml>")),  # over 64 KB
    ("/wecom", wecom_push, lambda q, b: ({}, b)),  # no signature at all
    ("/oa", oa_push, _tampered),
    ("/oa", oa_push, _other_oa_appid),
    ("/oa", oa_push, _plaintext_to_a_safe_mode_oa),
])
def test_forged_or_undecryptable_pushes_are_refused_and_write_nothing(tmp_path, path, make, forged):
    app = app_for(tmp_path, {**WECOM, **OA})
    message = xml(ADD if path == "/wecom" else SUBSCRIBE)
    assert call(app, "POST", path, *make(message)) == (200, "success")  # the genuine push lands
    before = sorted((p, p.read_bytes()) for p in tmp_path.rglob("*") if p.is_file())
    query, body = make(message)
    assert call(app, "POST", path, *forged(query, body)) == (403, "forbidden")
    assert sorted((p, p.read_bytes()) for p in tmp_path.rglob("*") if p.is_file()) == before


def test_the_oa_in_plaintext_mode(tmp_path):
    app = app_for(tmp_path, {"OA_CALLBACK_TOKEN": OA["OA_CALLBACK_TOKEN"]})  # no key: 明文模式
    ts, nonce = "1716163200", "77"
    signed = {"signature": sha1_signature(OA["OA_CALLBACK_TOKEN"], ts, nonce), "timestamp": ts,
              "nonce": nonce}
    assert call(app, "POST", "/oa", {**signed, "nonce": "78"}, xml(SUBSCRIBE)) == (403, "forbidden")
    assert call(app, "POST", "/oa", *oa_push(xml(SUBSCRIBE))) == (403, "forbidden")  # an encrypted one
    assert nothing_written(tmp_path)
    assert call(app, "POST", "/oa", signed, xml(SUBSCRIBE)) == (200, "success")
    assert call(app, "POST", "/wecom", *wecom_push(xml(ADD))) == (404, "Not Found")  # WeCom not configured


def test_the_log_holds_no_secret_and_no_id(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="siyu.receive")
    app = app_for(tmp_path, {**WECOM, **OA})
    call(app, "POST", "/wecom", *wecom_push(xml(ADD)))
    call(app, "POST", "/oa", *oa_push(xml(SUBSCRIBE)))
    call(app, "POST", "/oa", *_tampered(*oa_push(xml(SUBSCRIBE))))
    assert "event/change_external_contact/add_external_contact: written" in caplog.text
    assert "POST /oa 403 refused: bad signature" in caplog.text
    secrets = [*WECOM.values(), *OA.values(), ADD["ExternalUserID"], SUBSCRIBE["FromUserName"], "zhangsan",
               "o6_bmjrPTlm6_2sgVt7hMZOPfL2M"]  # the openid oa_push puts in the query
    assert [s for s in secrets if s in caplog.text] == []
