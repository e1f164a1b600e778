"""Writes a Sirene establishments stock file (StockEtablissement's real
header, its 53 columns) of about the given size: most rows elsewhere in
France, a few hundred in CC Anjou Bleu Communauté (the demo territory), some
of them closed, in trade or small, as the national file mixes them.
    python3 bench/sirene_extract.py OUT.csv [megabytes=1024]
"""
import sys

HEADER = "siren,nic,siret,statutDiffusionEtablissement,dateCreationEtablissement,trancheEffectifsEtablissement,anneeEffectifsEtablissement,activitePrincipaleRegistreMetiersEtablissement,dateDernierTraitementEtablissement,etablissementSiege,nombrePeriodesEtablissement,complementAdresseEtablissement,numeroVoieEtablissement,indiceRepetitionEtablissement,dernierNumeroVoieEtablissement,indiceRepetitionDernierNumeroVoieEtablissement,typeVoieEtablissement,libelleVoieEtablissement,codePostalEtablissement,libelleCommuneEtablissement,libelleCommuneEtrangerEtablissement,distributionSpecialeEtablissement,codeCommuneEtablissement,codeCedexEtablissement,libelleCedexEtablissement,codePaysEtrangerEtablissement,libellePaysEtrangerEtablissement,identifiantAdresseEtablissement,coordonneeLambertAbscisseEtablissement,coordonneeLambertOrdonneeEtablissement,complementAdresse2Etablissement,numeroVoie2Etablissement,indiceRepetition2Etablissement,typeVoie2Etablissement,libelleVoie2Etablissement,codePostal2Etablissement,libelleCommune2Etablissement,libelleCommuneEtranger2Etablissement,distributionSpeciale2Etablissement,codeCommune2Etablissement,codeCedex2Etablissement,libelleCedex2Etablissement,codePaysEtranger2Etablissement,libellePaysEtranger2Etablissement,dateDebut,etatAdministratifEtablissement,enseigne1Etablissement,enseigne2Etablissement,enseigne3Etablissement,denominationUsuelleEtablissement,activitePrincipaleEtablissement,nomenclatureActivitePrincipaleEtablissement,caractereEmployeurEtablissement"

ELSEWHERE = ["75056", "75108", "69123", "69381", "13201", "31555", "33063", "44109", "49007", "72181", "35238", "59350"]
ANJOU_BLEU = ["49008", "49010", "49036", "49038", "49054", "49056", "49061", "49089", "49178", "49248", "49331"]
NAF = ["25.62B", "47.11F", "56.10A", "10.71C", "68.20B", "43.21A", "16.10A", "46.69B", "28.41Z", "62.01Z"]
BANDS = ["NN", "", "00", "01", "03", "11", "12", "21", "32", "53"]


def row(i, commune, state, naf, band):
    siren = 100000000 + i
    return (
        f"{siren},00017,{siren}00017,O,2001-05-14,{band},2022,,2024-06-30T12:00:00,true,3,,12,,,,RUE,"
        f"\"DE LA GARE, ZONE \"\"EST\"\"\",49500,SEGRE EN ANJOU BLEU,,,{commune},,,,,4950012345_0012,"
        f"412345.6,6745678.9,,,,,,,,,,,,,,,2015-01-01,{state},\"ATELIER, \"\"N°{i % 97}\"\"\",,,,"
        f"{naf},NAFRev2,O\n"
    )


def main():
    out = sys.argv[1]
    target = int(sys.argv[2] if len(sys.argv) > 2 else 1024) * 1_000_000
    written = 0
    i = 0
    with open(out, "w", encoding="utf-8", buffering=1 << 20) as f:
        f.write(HEADER + "\n")
        while written < target:
            lines = []
            for _ in range(10_000):
                i += 1
                if i % 5000 == 0:
                    commune = ANJOU_BLEU[i // 5000 % 11]
                else:
                    commune = ELSEWHERE[i % 12]
                state = "F" if i % 7 == 0 else "A"
                lines.append(row(i, commune, state, NAF[i // 3 % 10], BANDS[i // 11 % 10]))
            chunk = "".join(lines)
            f.write(chunk)
            written += len(chunk.encode("utf-8"))
    print(f"{i} rows, {written / 1e6:.0f} MB")


main()
