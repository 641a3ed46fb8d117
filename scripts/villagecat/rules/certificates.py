"""Certificates villages issue need a legal basis, and none may also be on a negative list that applies (意见 §7–8)."""

from villagecat.problems import WARNING, define, problem
from villagecat.rules.names import plain

define("certificate-without-legal-basis", "policy", "出具证明事项缺少依据", "Certificate without legal basis",
       "村级组织出具的证明 {text!r} 没有法律依据（legal_basis 与 legal_basis_text 均为空）。",
       "Certificate {text!r} that villages issue has no legal basis (legal_basis and legal_basis_text are both empty).",
       "按源文件填写 legal_basis（laws.csv 编号）或 legal_basis_text；源文件确未给出依据时，在 note 中写明“来源未给出依据”。",
       "Fill legal_basis (laws.csv ids) or legal_basis_text from the source; if the source truly gives none, say “来源未给出依据” in note.")
define("certificate-basis-not-given", "policy", "来源未给出证明事项的依据", "Source gives no legal basis for a certificate",
       "村级组织出具的证明 {text!r} 没有法律依据：note 写明来源未给出依据。",
       "Certificate {text!r} that villages issue has no legal basis: its note says the source gives none.",
       "这是提醒，无须改动：证明照来源录入。日后若找到发文机关给出的依据，填写 legal_basis（laws.csv 编号）或 legal_basis_text，并删去 note 中的这句说明。",
       "A reminder, nothing to change: the certificate stands as its source gives it. If an official basis turns up, fill legal_basis (laws.csv ids) or legal_basis_text and drop that sentence from note.",
       severity=WARNING)
define("certificate-on-negative-list", "policy", "证明同时列入不应出具清单", "Certificate also on a negative list",
       "证明 {text!r} 同时列在 {neg_region} 的不应出具证明清单（{neg_id}）中。", "Certificate {text!r} is also on {neg_region}'s negative list ({neg_id}).",
       "核对两份源文件；若确属冲突，在 note 中说明并向发文机关反映，不要改动原文。", "Check both sources; if they really conflict, explain in note and report it; never alter the text.")

NO_BASIS_NOTE = "来源未给出依据"


def check(cat):
    for lst in cat.lists():
        if lst.kind != "certificates":
            continue
        negatives = {}
        for region in cat.lineage(lst.region):
            neg = region.lists.get("negative-certificates")
            for item in neg.items if neg else []:
                negatives.setdefault(plain(item.text), (region.name or region.adcode, item.id))
        for item in lst.items:
            if not item.legal_basis and not item.values.get("legal_basis_text", "").strip():
                code = "certificate-basis-not-given" if NO_BASIS_NOTE in item.note else "certificate-without-legal-basis"
                yield problem(code, file=item.path, row=item.row, column="legal_basis", item_id=item.id, text=item.text)
            hit = negatives.get(plain(item.text))
            if hit:
                yield problem("certificate-on-negative-list", file=item.path, row=item.row, column="text", item_id=item.id,
                              text=item.text, neg_region=hit[0], neg_id=hit[1])
