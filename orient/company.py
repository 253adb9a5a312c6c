"""The company profile (company.yaml) and load_company(): being written in the Foundation issue."""


class Company:
    pass


def load_company(path):
    raise NotImplementedError("load_company is being written (Foundation issue)")
