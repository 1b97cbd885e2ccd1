"""Word lists the training-data generator fills templates from.

Place names, police forces and employers are public facts typed in by hand; Faker (en_GB and a
few other locales) supplies people's names, companies and postcodes. Every list is split once,
deterministically, into a training part and a held-out part (`split`), so the held-out sentences
name towns, localities and school names the model never saw in training.
"""

from __future__ import annotations

__all__ = [
    "TOWNS", "LOCALITIES", "COUNTIES", "COUNTRIES", "LONDON_BOROUGHS", "POLICE_FORCES",
    "EMPLOYERS", "SAINTS", "NAME_WORDS", "STREET_STEMS", "STREET_TYPES", "STREET_ABBREVIATIONS",
    "BUILDING_WORDS", "TOPONYM_ROOTS", "TOPONYM_ENDINGS", "NAME_LOCALES", "split",
]


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.split(";") if w.strip()]


def split(items: list[str], heldout: bool) -> list[str]:
    """Every fifth item (in the list's own order) is held out; the rest are for training."""
    return [x for i, x in enumerate(items) if (i % 5 == 4) == heldout]


TOWNS = _words("""
Leeds; Bradford; Wakefield; Huddersfield; Halifax; Dewsbury; Keighley; Harrogate; York; Scarborough;
Sheffield; Rotherham; Barnsley; Doncaster; Hull; Grimsby; Scunthorpe; Lincoln; Boston; Grantham;
Manchester; Salford; Stockport; Oldham; Rochdale; Bolton; Bury; Wigan; Warrington; Liverpool;
Birkenhead; St Helens; Southport; Preston; Blackpool; Blackburn; Burnley; Lancaster; Carlisle; Kendal;
Barrow-in-Furness; Workington; Newcastle upon Tyne; Gateshead; Sunderland; Durham; Darlington;
Middlesbrough; Hartlepool; Stockton-on-Tees; Hexham; Morpeth; Berwick-upon-Tweed; Chester; Crewe;
Macclesfield; Stoke-on-Trent; Stafford; Lichfield; Tamworth; Burton upon Trent; Derby; Chesterfield;
Nottingham; Mansfield; Newark; Leicester; Loughborough; Hinckley; Northampton; Kettering; Corby;
Wellingborough; Birmingham; Wolverhampton; Walsall; Dudley; West Bromwich; Solihull; Coventry;
Nuneaton; Rugby; Warwick; Leamington Spa; Stratford-upon-Avon; Worcester; Redditch; Kidderminster;
Hereford; Shrewsbury; Telford; Oswestry; Gloucester; Cheltenham; Stroud; Bristol; Bath; Weston-super-Mare;
Swindon; Chippenham; Salisbury; Trowbridge; Taunton; Yeovil; Bridgwater; Exeter; Plymouth; Torquay;
Paignton; Barnstaple; Truro; Falmouth; Penzance; Newquay; Bodmin; Poole; Bournemouth; Weymouth;
Dorchester; Southampton; Portsmouth; Winchester; Basingstoke; Andover; Eastleigh; Fareham; Gosport;
Reading; Slough; Maidenhead; Bracknell; Newbury; Oxford; Banbury; Bicester; Abingdon; High Wycombe;
Aylesbury; Milton Keynes; Luton; Bedford; Stevenage; Watford; St Albans; Hemel Hempstead; Hitchin;
Cambridge; Peterborough; Huntingdon; Ely; Norwich; Great Yarmouth; King's Lynn; Lowestoft; Ipswich;
Bury St Edmunds; Colchester; Chelmsford; Southend-on-Sea; Basildon; Harlow; Brentwood; Clacton-on-Sea;
Maidstone; Canterbury; Ashford; Dover; Folkestone; Margate; Ramsgate; Gillingham; Chatham; Tonbridge;
Tunbridge Wells; Sevenoaks; Brighton; Hove; Worthing; Crawley; Horsham; Chichester; Eastbourne;
Hastings; Guildford; Woking; Epsom; Redhill; Camberley; Croydon; Bromley; Romford; Ilford; Enfield;
Harrow; Wembley; Ealing; Hounslow; Kingston upon Thames; Sutton; Cardiff; Swansea; Newport; Wrexham;
Bangor; Aberystwyth; Carmarthen; Llanelli; Bridgend; Merthyr Tydfil; Pontypridd; Caerphilly; Rhyl;
Llandudno; Haverfordwest; Edinburgh; Glasgow; Aberdeen; Dundee; Inverness; Perth; Stirling; Paisley;
Kilmarnock; Ayr; Dumfries; Falkirk; Livingston; Kirkcaldy; Dunfermline; Motherwell; Hamilton;
Greenock; Elgin; Fort William; Belfast; Derry; Lisburn; Newry; Armagh; Omagh; Enniskillen;
Ballymena; Coleraine; Bangor; Craigavon; Portadown; Crawley; Skipton; Ripon; Whitby; Goole; Selby;
Pontefract; Castleford; Batley; Ossett; Otley; Ilkley; Todmorden; Accrington; Chorley; Leyland;
Ormskirk; Widnes; Runcorn; Northwich; Winsford; Buxton; Matlock; Ashbourne; Glossop; Hyde
""")

LOCALITIES = _words("""
Headingley; Chapeltown; Harehills; Beeston; Armley; Seacroft; Moortown; Roundhay; Horsforth;
Pudsey; Morley; Rothwell; Garforth; Manningham; Shipley; Bingley; Eccleshill; Heaton; Moss Side;
Rusholme; Didsbury; Chorlton; Levenshulme; Longsight; Wythenshawe; Ancoats; Hulme; Fallowfield;
Toxteth; Everton; Anfield; Walton; Kirkby; Huyton; Speke; Bootle; Allerton; Wavertree; Handsworth;
Sparkbrook; Small Heath; Erdington; Selly Oak; Kings Heath; Moseley; Edgbaston; Aston; Longbridge;
Bearwood; Sneinton; Bulwell; Clifton; Radford; Beeston Rylands; Hyson Green; Heeley; Darnall;
Page Hall; Hillsborough; Crookes; Walkley; Gleadless; Manor Top; Byker; Heaton Park; Benwell;
Walker; Kenton; Gosforth; Jesmond; Easington Lane; Southsea; Fratton; Cosham; Hedge End; Shirley;
Totton; St Pauls; Easton; Bedminster; Knowle West; Southmead; Fishponds; Kingswood; Cowley;
Blackbird Leys; Jericho; Headington; Marston; Grangetown; Splott; Butetown; Canton; Ely; Llanrumney;
Sketty; Gorbals; Govan; Easterhouse; Drumchapel; Leith; Craigmillar; Muirhouse; Wester Hailes;
Falls Road; Shankill; Ardoyne; Finaghy; Brixton; Peckham; Lewisham; Tottenham; Edmonton; Hackney;
Walthamstow; Leyton; Stratford; Bow; Poplar; Deptford; Thamesmead; Southall; Acton; Kilburn;
Holloway; Archway; Streatham; Tooting; Mitcham; Thornton Heath; Norbury; Penge; Sydenham; Catford;
Eltham; Woolwich; Plumstead; Barking; Dagenham; Hornchurch; Upminster; Chingford; Wood Green;
Hornsey; Crouch End; Kentish Town; Camden Town; Cricklewood; Hendon; Edgware; Stanmore; Hayes;
Harlesden; Willesden; Neasden; Shepherd's Bush; Hammersmith; Fulham; Battersea; Clapham; Balham;
Wimbledon; Morden; Colliers Wood; Sandford; Nether Edge; Wibsey; Thornbury; Idle; Undercliffe;
Cleckheaton; Heckmondwike; Mirfield; Lindley; Marsh; Golcar; Slaithwaite; Meltham; Holmfirth
""")

COUNTIES = _words("""
West Yorkshire; South Yorkshire; North Yorkshire; East Riding of Yorkshire; Greater Manchester;
Merseyside; Lancashire; Cumbria; Northumberland; County Durham; Tyne and Wear; Cheshire;
Staffordshire; Derbyshire; Nottinghamshire; Leicestershire; Lincolnshire; Northamptonshire;
West Midlands; Warwickshire; Worcestershire; Herefordshire; Shropshire; Gloucestershire; Somerset;
Devon; Cornwall; Dorset; Wiltshire; Hampshire; Berkshire; Oxfordshire; Buckinghamshire;
Bedfordshire; Hertfordshire; Cambridgeshire; Norfolk; Suffolk; Essex; Kent; East Sussex;
West Sussex; Surrey; Isle of Wight; Rutland; Fife; Lanarkshire; Aberdeenshire; Highland;
Ayrshire; Powys; Gwynedd; Pembrokeshire; Ceredigion; Conwy; Denbighshire; Flintshire;
County Antrim; County Down; County Tyrone; County Fermanagh; County Armagh
""")

COUNTRIES = _words("""
Poland; Romania; Lithuania; Latvia; Bulgaria; Slovakia; Czech Republic; Hungary; Portugal; Spain;
Italy; France; Germany; Ireland; the Netherlands; Belgium; Greece; Cyprus; Turkey; Albania;
Pakistan; India; Bangladesh; Sri Lanka; Nigeria; Ghana; Somalia; Eritrea; Ethiopia; Sudan; Kenya;
Zimbabwe; South Africa; Jamaica; Trinidad; Iraq; Iran; Syria; Afghanistan; Egypt; Morocco; Algeria;
Ukraine; Russia; China; Hong Kong; the Philippines; Vietnam; Thailand; Australia; New Zealand;
Canada; the United States; Brazil; Colombia; Scotland; Wales; Northern Ireland; England; Dubai;
Saudi Arabia; Qatar; Norway; Sweden; Denmark; Finland; Estonia; Austria; Switzerland; Malta
""")

LONDON_BOROUGHS = _words("""
Barking and Dagenham; Barnet; Bexley; Brent; Bromley; Camden; Croydon; Ealing; Enfield; Greenwich;
Hackney; Hammersmith and Fulham; Haringey; Harrow; Havering; Hillingdon; Hounslow; Islington;
Lambeth; Lewisham; Merton; Newham; Redbridge; Richmond upon Thames; Southwark; Sutton;
Tower Hamlets; Waltham Forest; Wandsworth
""")

POLICE_FORCES = _words("""
West Yorkshire Police; South Yorkshire Police; North Yorkshire Police; Humberside Police;
Greater Manchester Police; Merseyside Police; Lancashire Constabulary; Cumbria Constabulary;
Northumbria Police; Durham Constabulary; Cleveland Police; Cheshire Constabulary;
Staffordshire Police; Derbyshire Constabulary; Nottinghamshire Police; Leicestershire Police;
Lincolnshire Police; Northamptonshire Police; West Midlands Police; Warwickshire Police;
West Mercia Police; Gloucestershire Constabulary; Avon and Somerset Police; Devon and Cornwall Police;
Dorset Police; Wiltshire Police; Hampshire and Isle of Wight Constabulary; Thames Valley Police;
Bedfordshire Police; Hertfordshire Constabulary; Cambridgeshire Constabulary; Norfolk Constabulary;
Suffolk Constabulary; Essex Police; Kent Police; Sussex Police; Surrey Police;
Metropolitan Police Service; City of London Police; British Transport Police; South Wales Police;
Gwent Police; Dyfed-Powys Police; North Wales Police; Police Scotland;
Police Service of Northern Ireland
""")

EMPLOYERS = _words("""
Tesco; Sainsbury's; Asda; Morrisons; Aldi; Lidl; Co-op; Marks and Spencer; Boots; Superdrug;
Primark; Next; B&Q; Wickes; Screwfix; Argos; Currys; Greggs; Costa Coffee; Pret A Manger;
McDonald's; KFC; Domino's; Royal Mail; DPD; Evri; Amazon; Ocado; Network Rail; Arriva; Stagecoach;
First Bus; National Express; BT; Openreach; Virgin Media; Sky; British Gas; Barclays; Lloyds Bank;
NatWest; HSBC; Santander; Nationwide; Halifax; JD Sports; Sports Direct; IKEA; Travelodge;
Premier Inn; Wetherspoons; Specsavers; Pets at Home; Halfords; Kwik Fit; Iceland; Home Bargains;
B&M; Poundland; Wilko; Matalan; TK Maxx; Dunelm; John Lewis; Waitrose; Rolls-Royce; BAE Systems;
Jaguar Land Rover; Nissan; Unilever; GSK; AstraZeneca; Deliveroo; Uber; Serco; G4S; Capita;
Balfour Beatty; Kier; Persimmon; Barratt Homes; Mitie; Compass Group; Sodexo
""")

SAINTS = _words("""
Mary; John; Peter; Paul; Joseph; Anne; Michael; George; Andrew; Patrick; Bede; Chad; Aidan;
Hilda; Cuthbert; Thomas; Margaret; Teresa; Francis; Luke; Mark; Matthew; James; Stephen;
Edmund; Alban; Augustine; Bernadette; Wilfrid; Oswald; Columba; David; Catherine; Helen;
Lawrence; Martin; Nicholas; Benedict; Dominic; Anselm; Clement; Gregory; Leonard; Giles;
Barnabas; Bartholomew; Winifred; Dunstan; Brigid; Agnes; Cecilia; Philip; Jude; Gabriel
""")

NAME_WORDS = _words("""
Oakfield; Brookside; Hillcrest; Meadowbank; Greenfield; Westfield; Riverside; Parkside;
Woodlands; Ashgrove; Beechwood; Elmhurst; Fernhill; Hollybush; Kingsmead; Larkrise; Millbrook;
Northfield; Oaklands; Pinewood; Queensbury; Redbrook; Springfield; Sunnybank; Thornhill;
Whitegate; Willowbank; Broadmead; Castleview; Fairfield; Glebe; Hazelwood; Highfield; Lakeside;
Longmeadow; Moorside; Orchard; Ravenscliffe; Rosehill; Southmead; Stonebridge; Summerhill;
Windmill; Brambles; Cedars; Chestnut Grove; Foxhill; Heatherbrook; Abbey; Beaumont; Carr Green;
Deer Park; Eastwood; Fieldhead; Gorse Hill; Hawthorn; Ivy Bank; Jubilee; Kirkstall; Lea Valley;
Marsh Lane; Newlands; Oldfield; Priory; Queen's Park; Rowan Tree; Sandhill; Tower Hill;
Upperthorpe; Victoria Park; Wharfedale; Yew Tree; Appleton; Bramley; Cliffe; Dale View;
Elmfield; Fountains; Grove House; Harewood; Ingram; Kingfisher; Linden; Mayfield; Nightingale;
Oakwood; Poplars; Quarry Hill; Ridgeway; Saxon; Templar; Valley View; Westbrook; Woodside
""")

STREET_STEMS = _words("""
Oak; Elm; Beech; Cherry Tree; Chestnut; Willow; Ash; Birch; Hawthorn; Station; Church; Mill;
Park; Victoria; Queen's; King's; High; Manor; Meadow; Green; School; Chapel; Grange; Orchard;
Springfield; Albert; Alexandra; Windsor; York; Princess; Castle; Bridge; Market; North; South;
West; East; New; Main; Back; Garden; Rectory; Vicarage; Hill; Forest; Woodland; Moor; Field;
Brook; Cross; Mount; Highfield; Westfield; Clarence; Stanley; Wellington; Nelson; Cromwell;
Gladstone; Salisbury; Marlborough; Coronation; Jubilee; Holly; Laburnum; Lime; Sycamore; Poplar;
Rowan; Juniper; Lavender; Primrose; Bluebell; Heather; Foxglove; Kingsway; Broadway; Fairview;
Greenbank; Hillside; Lakeside; Riverside; Sunnyside; St John's; St Mary's; Shakespeare; Milton;
Byron; Tennyson; Wordsworth; Darwin; Newton; Brunel; Telford; Stephenson; Nightingale; Lister
""")

STREET_TYPES = _words("""
Road; Street; Lane; Avenue; Close; Drive; Crescent; Way; Court; Gardens; Place; Terrace; Grove;
Walk; Mews; Rise; Row; View; Hill; Green; Square; Parade; Vale; Fold; Croft; Gate; Mount; Chase
""")

STREET_ABBREVIATIONS = {"Road": "Rd", "Street": "St", "Avenue": "Ave", "Close": "Cl", "Drive": "Dr",
                        "Crescent": "Cres", "Lane": "Ln", "Gardens": "Gdns", "Place": "Pl",
                        "Terrace": "Tce", "Square": "Sq"}

BUILDING_WORDS = _words("""
House; Court; Cottage; Lodge; Farm; Mansions; Heights; Tower; Barn; Villa; Hall; Point; Apartments
""")

TOPONYM_ROOTS = _words("""
Ash; Brad; Brom; Cal; Dun; Ed; Farn; Gold; Hal; Kirk; Lang; Mar; Nor; Pen; Rad; Sal; Thorn; Wel;
Wick; Black; Brig; Chil; Dal; Elm; Frod; Gras; Hether; Kel; Lind; Mel; Ox; Rock; Stan; Ted; Whit;
Ald; Bel; Carl; Ded; Ell; Fen; Grim; Hart; Ick; Lud; Mickle; Nether; Orm; Pud; Rom; Shep; Tad
""")

TOPONYM_ENDINGS = _words("""
ton; ley; ford; ham; bury; by; wick; field; worth; stead; thorpe; minster; bridge; combe; mouth;
chester; hurst; den; well; borough; caster; mere; stow; ington; church; holme; dale; wood
""")

# Faker locales for people's names and their weights: mostly British names, with the other
# communities a UK family court sees often, in Latin script (what appears in these documents).
NAME_LOCALES = [
    ("en_GB", 50), ("en_IE", 6), ("en_IN", 6), ("en_PK", 6), ("pl_PL", 5), ("ro_RO", 4),
    ("lt_LT", 3), ("pt_PT", 3), ("it_IT", 2), ("es_ES", 2), ("fr_FR", 2), ("tr_TR", 3),
    ("en_NG", 3), ("yo_NG", 2), ("tw_GH", 2), ("cs_CZ", 1), ("sk_SK", 1), ("de_DE", 1),
]

#: Training-only name locales: more of Europe's names (people settled in the UK), so that a
#: surname the model has never seen still reads as one. The held-out split keeps NAME_LOCALES.
TRAIN_ONLY_LOCALES = [
    ("hu_HU", 1), ("fi_FI", 1), ("da_DK", 1), ("sv_SE", 1), ("nl_NL", 1), ("no_NO", 1),
    ("hr_HR", 1), ("es_MX", 1), ("en_US", 3), ("en_AU", 1),
]

#: Faker locales whose address, city and company providers give addresses, towns and employers
#: abroad in their own form: training only (a parent who moved abroad, family abroad). Not it_IT:
#: its city() depends on the string hash seed, so the data would differ from run to run.
ABROAD_LOCALES = [
    "en_US", "en_CA", "en_AU", "en_IN", "de_DE", "de_AT", "fr_FR", "pl_PL", "es_ES", "es_MX",
    "pt_PT", "pt_BR", "nl_NL", "ro_RO", "hu_HU", "cs_CZ", "sk_SK", "hr_HR", "sv_SE", "da_DK", "fi_FI",
    "no_NO",
]
